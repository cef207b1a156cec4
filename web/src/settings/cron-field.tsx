import { useState } from "preact/hooks";
import { formatDateTime } from "../components/format.js";
import { cronPresets, describeCron, nextRunTimes } from "./cron.js";
import { parseText } from "./field-value.js";
import type { FieldSpec } from "./schema-field.js";

/**
 * A cron expression with one-click presets, the schedule in plain words and its next five
 * runs (computed in the browser with croner, the library the service schedules with).
 */
export function CronInput(props: {
  spec: FieldSpec;
  id: string;
  initial: string;
  describedBy: string;
  invalid: boolean;
  disabled: boolean;
  onText: (text: string) => void;
}) {
  const [text, setText] = useState(props.initial);
  const change = (value: string): void => {
    setText(value);
    props.onText(value);
  };
  const expression = text.trim();
  const parsed = parseText(props.spec, text);
  const words = expression === "" ? null : describeCron(expression);
  const runs = parsed.ok && expression !== "" ? nextRunTimes(expression, 5) : [];
  const presetId = `${props.id}-preset`;
  return (
    <div class="cron-field">
      <div class="cron-inputs">
        <input
          id={props.id}
          type="text"
          class="mono"
          value={text}
          spellcheck={false}
          autocomplete="off"
          placeholder={props.spec.nullable ? "empty = off" : undefined}
          disabled={props.disabled}
          aria-invalid={props.invalid}
          aria-describedby={props.describedBy}
          onInput={(event) => change(event.currentTarget.value)}
        />
        <label class="visually-hidden" for={presetId}>
          Preset for {props.spec.path.join(".")}
        </label>
        <select
          id={presetId}
          value=""
          disabled={props.disabled}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            if (chosen !== "") change(chosen);
            event.currentTarget.value = "";
          }}
        >
          <option value="">Presets…</option>
          {cronPresets.map((preset) => (
            <option key={preset.expression} value={preset.expression}>
              {preset.label}
            </option>
          ))}
        </select>
      </div>
      {expression === "" && props.spec.nullable ? (
        <p class="cron-words">Off: no periodic pass (file events and Run now still work).</p>
      ) : (
        parsed.ok && (
          <div class="cron-preview" aria-live="polite">
            <p class="cron-words">
              {words ? `Runs ${words}.` : "A custom schedule: see the next runs."}
            </p>
            <p class="muted small">Next runs (this browser's time zone):</p>
            <ol class="cron-next">
              {runs.map((run) => (
                <li key={run.toISOString()}>
                  <time dateTime={run.toISOString()}>{formatDateTime(run.toISOString())}</time>
                </li>
              ))}
            </ol>
          </div>
        )
      )}
    </div>
  );
}
