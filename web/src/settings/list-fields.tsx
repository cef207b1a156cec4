import { useState } from "preact/hooks";
import { Badge } from "../components/ui.js";
import { isSecretView } from "../config/use-config.js";
import { CronInput } from "./cron-field.js";
import { parseText, textOf, type Parsed } from "./field-value.js";
import type { FormApi } from "./form-state.js";
import type { FieldSpec } from "./schema-field.js";

interface ListProps {
  spec: FieldSpec;
  form: FormApi;
  id: string;
  describedBy: string;
  invalid: boolean;
}

interface FolderRow {
  folder: string;
  cron: string;
}

function rowsOf(initial: unknown[]): FolderRow[] {
  return initial.map((item) => {
    const record = (typeof item === "object" && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    return { folder: textOf(record.folder), cron: textOf(record.cron) };
  });
}

/** `schedule.folders`: one row per folder with its own cron (or none: events only). */
export function FolderSchedules(props: ListProps & { initial: unknown[] }) {
  const [rows, setRows] = useState(() => rowsOf(props.initial));
  const cronSpec = props.spec.children.find((child) => child.name === "cron");
  const disabled = !props.form.canWrite;

  const publish = (next: FolderRow[]): void => {
    setRows(next);
    props.form.report(props.spec, parseRows(next, cronSpec));
  };
  const edit = (index: number, change: Partial<FolderRow>): void =>
    publish(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  return (
    <div class="folder-schedules" id={props.id} role="group" aria-describedby={props.describedBy}>
      {rows.length === 0 && <p class="muted small">No folder has its own schedule.</p>}
      {rows.map((row, index) => (
        <div class="folder-row" key={index}>
          <label for={`${props.id}-${index}-folder`}>Folder {index + 1}</label>
          <input
            id={`${props.id}-${index}-folder`}
            type="text"
            value={row.folder}
            disabled={disabled}
            onInput={(event) => edit(index, { folder: event.currentTarget.value })}
          />
          <label for={`${props.id}-${index}-cron`}>Cron for folder {index + 1}</label>
          {cronSpec && (
            <CronInput
              spec={cronSpec}
              id={`${props.id}-${index}-cron`}
              initial={row.cron}
              describedBy={props.describedBy}
              invalid={props.invalid}
              disabled={disabled}
              onText={(text) => edit(index, { cron: text })}
            />
          )}
          <button
            type="button"
            class="ghost"
            disabled={disabled}
            onClick={() => publish(rows.filter((_, at) => at !== index))}
          >
            Remove folder {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={disabled}
        onClick={() => publish([...rows, { folder: "", cron: "0 3 * * *" }])}
      >
        Add a folder schedule
      </button>
    </div>
  );
}

function parseRows(rows: FolderRow[], cronSpec: FieldSpec | undefined): Parsed {
  const value: { folder: string; cron: unknown }[] = [];
  for (const [index, row] of rows.entries()) {
    if (row.folder.trim() === "") return { ok: false, error: `row ${index + 1} needs a folder` };
    const cron = cronSpec ? parseText(cronSpec, row.cron) : { ok: true as const, value: row.cron };
    if (!cron.ok) return { ok: false, error: `row ${index + 1}: the cron ${cron.error}` };
    value.push({ folder: row.folder.trim(), cron: cron.value });
  }
  return { ok: true, value };
}

/** A map of text to text (HTTP headers), edited as `Name: value` lines. */
export function HeaderLines(props: ListProps & { initial: unknown }) {
  const record =
    typeof props.initial === "object" && props.initial !== null
      ? (props.initial as Record<string, unknown>)
      : {};
  const text = Object.entries(record)
    .map(([name, value]) => `${name}: ${textOf(value)}`)
    .join("\n");
  return (
    <textarea
      id={props.id}
      rows={3}
      spellcheck={false}
      defaultValue={text}
      disabled={!props.form.canWrite}
      placeholder="Name: value (one per line)"
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid}
      onInput={(event) =>
        props.form.report(props.spec, parseHeaderLines(event.currentTarget.value))
      }
    />
  );
}

export function parseHeaderLines(raw: string): Parsed {
  const value: Record<string, string> = {};
  for (const [index, line] of raw.split("\n").entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { ok: false, error: `line ${index + 1} needs the form Name: value` };
    value[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { ok: true, value };
}

/**
 * A secret is never shown or prefilled: only whether it is set, and a password box that
 * sends a new value when the person chooses to replace it.
 */
export function SecretInput(props: ListProps & { initial: unknown }) {
  const [replacing, setReplacing] = useState(false);
  const isSet = isSecretView(props.initial) && props.initial.set;
  const cancel = (): void => {
    setReplacing(false);
    props.form.report(props.spec, { ok: true, value: props.initial });
  };
  return (
    <div class="secret-field">
      <Badge tone={isSet ? "ok" : "muted"}>{isSet ? "set" : "not set"}</Badge>
      {replacing ? (
        <>
          <input
            id={props.id}
            type="password"
            autocomplete="new-password"
            aria-describedby={props.describedBy}
            aria-invalid={props.invalid}
            onInput={(event) => {
              const text = event.currentTarget.value;
              props.form.report(
                props.spec,
                text === ""
                  ? { ok: false, error: "is empty: type the new value, or Cancel" }
                  : { ok: true, value: text },
              );
            }}
          />
          <button type="button" class="ghost" onClick={cancel}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          id={props.id}
          disabled={!props.form.canWrite}
          aria-describedby={props.describedBy}
          onClick={() => setReplacing(true)}
        >
          Replace…
        </button>
      )}
    </div>
  );
}
