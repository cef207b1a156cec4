import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { Badge } from "../components/ui.js";
import { valueAt } from "../config/use-config.js";
import { CronInput } from "./cron-field.js";
import { parseLines, parseText, textOf, type Parsed } from "./field-value.js";
import { fieldId, type FormApi } from "./form-state.js";
import { FolderSchedules, HeaderLines, SecretInput } from "./list-fields.js";
import { humanName, type FieldSpec } from "./schema-field.js";

/** The value a field shows: the config's, or the schema's default when the key is absent. */
export function currentValue(form: FormApi, spec: FieldSpec): unknown {
  const value = valueAt(form.config, spec.path);
  return value === undefined ? spec.default : value;
}

function exampleText(example: unknown): string | null {
  if (typeof example === "string") return example;
  return typeof example === "number" || typeof example === "boolean" ? String(example) : null;
}

/** Label, widget, description, restart note and errors of one key. */
export function Field(props: { spec: FieldSpec; form: FormApi }) {
  const { spec, form } = props;
  if (spec.kind === "section") {
    return (
      <fieldset class="config-group">
        <legend>{humanName(spec.name)}</legend>
        {spec.description && <p class="muted small">{spec.description}</p>}
        {spec.children.map((child) => (
          <Field key={child.name} spec={child} form={form} />
        ))}
      </fieldset>
    );
  }
  const id = fieldId(spec);
  const local = form.localError(spec);
  const server = form.serverErrors(spec);
  const errors = [...(local ? [`${humanName(spec.name)} ${local}`] : []), ...server];
  const descriptionId = `${id}-desc`;
  const errorId = `${id}-error`;
  const describedBy = errors.length > 0 ? `${errorId} ${descriptionId}` : descriptionId;
  const invalid = errors.length > 0;
  const example = exampleText(spec.example);
  const label = (
    <label for={id} class="cfg-field-label">
      {humanName(spec.name)} <code class="cfg-field-key">{spec.path.join(".")}</code>
      {spec.requiresRestart && <Badge tone="warn">restart</Badge>}
    </label>
  );
  return (
    <div class={`cfg-field cfg-field-${spec.kind}${invalid ? " cfg-field-invalid" : ""}`}>
      {spec.kind === "boolean" ? (
        <Switch id={id} spec={spec} form={form} describedBy={describedBy}>
          {label}
        </Switch>
      ) : (
        <>
          {label}
          <Widget spec={spec} form={form} id={id} describedBy={describedBy} invalid={invalid} />
        </>
      )}
      <p id={descriptionId} class="cfg-field-help muted small">
        {spec.description}
        {example && spec.kind !== "secret" && (
          <>
            {" "}
            Example: <code>{example}</code>
          </>
        )}
      </p>
      {invalid && (
        <ul id={errorId} class="cfg-field-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Switch(props: {
  id: string;
  spec: FieldSpec;
  form: FormApi;
  describedBy: string;
  children: ComponentChildren;
}) {
  const [on, setOn] = useState(currentValue(props.form, props.spec) === true);
  return (
    <div class="switch-row">
      <input
        id={props.id}
        type="checkbox"
        role="switch"
        class="switch"
        checked={on}
        disabled={!props.form.canWrite}
        aria-describedby={props.describedBy}
        onChange={(event) => {
          const checked = event.currentTarget.checked;
          setOn(checked);
          props.form.report(props.spec, { ok: true, value: checked });
        }}
      />
      {props.children}
    </div>
  );
}

interface WidgetProps {
  spec: FieldSpec;
  form: FormApi;
  id: string;
  describedBy: string;
  invalid: boolean;
}

function Widget(props: WidgetProps) {
  const { spec, form } = props;
  const common = {
    id: props.id,
    disabled: !form.canWrite,
    "aria-describedby": props.describedBy,
    "aria-invalid": props.invalid,
  };
  const report = (parsed: Parsed) => form.report(spec, parsed);
  const initial = currentValue(form, spec);
  switch (spec.kind) {
    case "enum":
      return (
        <select
          {...common}
          value={textOf(initial)}
          onChange={(event) => report({ ok: true, value: event.currentTarget.value })}
        >
          {initial === undefined && <option value="">(not set)</option>}
          {spec.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case "string-list":
      return (
        <textarea
          {...common}
          rows={Math.min(6, Math.max(2, (Array.isArray(initial) ? initial.length : 0) + 1))}
          spellcheck={false}
          defaultValue={textOf(initial)}
          onInput={(event) => report(parseLines(spec, event.currentTarget.value))}
        />
      );
    case "enum-list":
      return <EnumList {...props} initial={Array.isArray(initial) ? initial.map(String) : []} />;
    case "object-list":
      return <FolderSchedules {...props} initial={Array.isArray(initial) ? initial : []} />;
    case "string-map":
      return <HeaderLines {...props} initial={initial} />;
    case "secret":
      return <SecretInput {...props} initial={initial} />;
    case "section":
    case "boolean":
      return null;
    case "integer":
    case "number":
    case "string":
    case "string-or-integer":
      if (spec.cron) {
        return (
          <CronInput
            spec={spec}
            id={props.id}
            initial={textOf(initial)}
            describedBy={props.describedBy}
            invalid={props.invalid}
            disabled={!form.canWrite}
            onText={(text) => report(parseText(spec, text))}
          />
        );
      }
      return (
        <input
          {...common}
          type="text"
          inputMode={spec.kind === "integer" ? "numeric" : undefined}
          class={spec.kind === "string" ? "wide-input" : "narrow-input"}
          spellcheck={false}
          autocomplete="off"
          placeholder={spec.nullable ? "empty = not set" : undefined}
          defaultValue={textOf(initial)}
          onInput={(event) => report(parseText(spec, event.currentTarget.value))}
        />
      );
  }
}

function EnumList(props: WidgetProps & { initial: string[] }) {
  const [chosen, setChosen] = useState(props.initial);
  return (
    <div class="chip-choices" id={props.id} role="group" aria-describedby={props.describedBy}>
      {props.spec.options.map((option) => (
        <label key={option} class="chip-choice">
          <input
            type="checkbox"
            checked={chosen.includes(option)}
            disabled={!props.form.canWrite}
            onChange={(event) => {
              const next = event.currentTarget.checked
                ? [...chosen, option]
                : chosen.filter((item) => item !== option);
              setChosen(next);
              props.form.report(props.spec, { ok: true, value: next });
            }}
          />
          {option}
        </label>
      ))}
    </div>
  );
}
