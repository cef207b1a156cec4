import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { SecretEdit } from "./notify-form.js";

interface FieldProps {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  children: (aria: {
    id: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
  }) => ComponentChildren;
}

/** A label, the control, its hint and its error, wired for screen readers. */
export function Field(props: FieldProps) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = props.error ? `${props.id}-error` : null;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ");
  return (
    <div class="ops-field">
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(props.error ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {props.error && (
        <p id={errorId ?? undefined} class="inline-error">
          {props.error}
        </p>
      )}
      {props.hint && (
        <p id={hintId ?? undefined} class="muted small ops-hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
  placeholder?: string;
  type?: "text" | "url";
  disabled?: boolean;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <input
          {...aria}
          type={props.type ?? "text"}
          value={props.value}
          placeholder={props.placeholder}
          disabled={props.disabled}
          spellcheck={false}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

/**
 * A secret shows only whether it is set. "Replace" opens a password box; "Remove" marks it
 * for removal; both take effect on Save, and "Keep" undoes them.
 */
export function SecretField(props: {
  id: string;
  label: string;
  set: boolean;
  file: string | null;
  edit: SecretEdit;
  onChange: (edit: SecretEdit) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const [value, setValue] = useState("");
  const { edit } = props;
  const state =
    edit.kind === "clear"
      ? "will be removed on Save"
      : props.set
        ? "set"
        : props.file
          ? `read from ${props.file}`
          : "not set";
  return (
    <div class="ops-field">
      <span class="ops-label" id={`${props.id}-label`}>
        {props.label}
      </span>
      <div class="ops-secret" role="group" aria-labelledby={`${props.id}-label`}>
        <span class={`badge ${props.set && edit.kind !== "clear" ? "tone-ok" : "tone-muted"}`}>
          {state}
        </span>
        {edit.kind === "keep" ? (
          <>
            <button
              type="button"
              disabled={props.disabled}
              onClick={() => {
                setValue("");
                props.onChange({ kind: "replace", value: "" });
              }}
            >
              {props.set ? "Replace" : "Set"}
            </button>
            {props.set && (
              <button
                type="button"
                class="danger"
                disabled={props.disabled}
                onClick={() => props.onChange({ kind: "clear" })}
              >
                Remove
              </button>
            )}
          </>
        ) : (
          <button type="button" class="ghost" onClick={() => props.onChange({ kind: "keep" })}>
            Keep as it was
          </button>
        )}
      </div>
      {edit.kind === "replace" && (
        <Field id={props.id} label={`New ${props.label.toLowerCase()}`} error={props.error}>
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="off"
              value={value}
              disabled={props.disabled}
              onInput={(event) => {
                const next = (event.target as HTMLInputElement).value;
                setValue(next);
                props.onChange({ kind: "replace", value: next });
              }}
            />
          )}
        </Field>
      )}
      {edit.kind !== "replace" && props.error && <p class="inline-error">{props.error}</p>}
      {props.hint && <p class="muted small ops-hint">{props.hint}</p>}
    </div>
  );
}

export function SelectField<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
  disabled?: boolean;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <select
          {...aria}
          value={props.value}
          disabled={props.disabled}
          onChange={(event) => props.onChange((event.target as HTMLSelectElement).value as T)}
        >
          {props.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
