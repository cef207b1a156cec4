import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError } from "../api/client.js";
import { describe } from "../components/errors.js";
import { Card, InlineError, Loading, PageHeader } from "../components/ui.js";
import {
  configView,
  ConfigConflict,
  loadConfig,
  saveConfig,
  type SaveResult,
} from "../config/use-config.js";
import { useStore } from "../live/store.js";
import { session } from "../session.js";
import {
  changedEdits,
  placeProblems,
  serverProblems,
  type Draft,
} from "../settings/config-edits.js";
import type { Parsed } from "../settings/field-value.js";
import { Field } from "../settings/fields.js";
import { collectFieldKeys, sectionOf, type FormApi } from "../settings/form-state.js";
import { configSections, humanName, pathKey, type SchemaNode } from "../settings/schema-field.js";
import "../styles/settings.css";

interface Outcome {
  tone: "ok" | "bad";
  text: string;
  details: string[];
}

export function SettingsPage() {
  const view = useStore(configView);
  const canWrite = useStore(session)?.canWrite ?? true;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState(new Map<string, Draft>());
  const [localErrors, setLocalErrors] = useState(new Map<string, string>());
  const [serverByField, setServerByField] = useState(new Map<string, string[]>());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState(new Set<string>());

  const reload = (): void => {
    setLoadError(null);
    loadConfig()
      .then(() => {
        setDrafts(new Map());
        setLocalErrors(new Map());
        setServerByField(new Map());
        setConflict(null);
        setGeneration((value) => value + 1);
      })
      .catch((error: unknown) => setLoadError(describe(error).message));
  };
  useEffect(reload, []);

  const sections = useMemo(
    () => (view ? configSections(view.schema as SchemaNode) : []),
    [view?.schema],
  );
  const fieldKeys = useMemo(() => collectFieldKeys(sections), [sections]);
  const edits = view ? changedEdits(view.config, drafts.values()) : [];

  const form: FormApi = {
    config: view?.config ?? {},
    canWrite,
    report(spec, parsed: Parsed) {
      const key = pathKey(spec.path);
      setLocalErrors((previous) => withEntry(previous, key, parsed.ok ? undefined : parsed.error));
      if (parsed.ok)
        setDrafts((previous) => withEntry(previous, key, { path: spec.path, value: parsed.value }));
      else setDrafts((previous) => withEntry(previous, key, undefined));
      setServerByField((previous) => withEntry(previous, key, undefined));
      setOutcome(null);
    },
    localError: (spec) => localErrors.get(pathKey(spec.path)),
    serverErrors: (spec) => serverByField.get(pathKey(spec.path)) ?? [],
  };

  const flagged = new Set(
    [...localErrors.keys(), ...serverByField.keys()].map((key) => sectionOf(key)),
  );

  const save = async (): Promise<void> => {
    if (localErrors.size > 0) {
      setOpen((previous) => new Set([...previous, ...flagged]));
      setOutcome({
        tone: "bad",
        text: `Not saved: ${localErrors.size} field${localErrors.size === 1 ? " has" : "s have"} a value photoferry cannot use. Fix the fields marked in red first.`,
        details: [],
      });
      return;
    }
    setBusy(true);
    try {
      const result = await saveConfig(edits);
      setDrafts(new Map());
      setServerByField(new Map());
      setGeneration((value) => value + 1);
      setOutcome(savedOutcome(result, edits.length));
    } catch (error) {
      if (error instanceof ConfigConflict) setConflict(error.message);
      else if (error instanceof ApiError && error.status === 422) {
        const { byField, unplaced } = placeProblems(serverProblems(error.body), fieldKeys);
        setServerByField(byField);
        setOpen((previous) => new Set([...previous, ...[...byField.keys()].map(sectionOf)]));
        setOutcome({ tone: "bad", text: `Not saved: ${error.message}.`, details: unplaced });
      } else {
        setOutcome({ tone: "bad", text: `Not saved: ${describe(error).message}`, details: [] });
      }
    } finally {
      setBusy(false);
    }
  };

  if (!view) {
    return (
      <>
        <PageHeader title="Settings" />
        {loadError ? <InlineError error={loadError} /> : <Loading />}
      </>
    );
  }
  return (
    <>
      <PageHeader title="Settings">
        <button type="button" onClick={reload} disabled={busy}>
          Reload
        </button>
      </PageHeader>
      {conflict && (
        <Card title="The file changed" class="conflict">
          <p role="alert">{conflict}</p>
          <button type="button" class="primary" onClick={reload}>
            Reload the config
          </button>
        </Card>
      )}
      <FileNotes warnings={view.warnings} fileProblems={view.fileProblems} />
      <form
        class="settings-form"
        key={generation}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        {sections.map((section) => (
          <details
            key={section.name}
            class="card settings-section"
            open={open.has(section.name) || flagged.has(section.name)}
            onToggle={(event) => {
              const isOpen = event.currentTarget.open;
              setOpen((previous) => withMember(previous, section.name, isOpen));
            }}
          >
            <summary>
              <h2>{humanName(section.name)}</h2>
              {flagged.has(section.name) && <span class="badge tone-bad">needs a fix</span>}
              {section.description && <span class="muted small">{section.description}</span>}
            </summary>
            {section.children.map((child) => (
              <Field key={child.name} spec={child} form={form} />
            ))}
          </details>
        ))}
        <div class="save-bar">
          <div aria-live="polite" class="save-outcome">
            {outcome && (
              <div
                class={`outcome tone-${outcome.tone}`}
                role={outcome.tone === "bad" ? "alert" : "status"}
              >
                <p>{outcome.text}</p>
                {outcome.details.length > 0 && (
                  <ul>
                    {outcome.details.map((detail) => (
                      <li key={detail}>{detail}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </div>
          <span class="muted" aria-live="polite">
            {edits.length === 0
              ? "No changes."
              : `${edits.length} changed key${edits.length === 1 ? "" : "s"}.`}
          </span>
          <button
            type="submit"
            class="primary"
            disabled={!canWrite || busy || (edits.length === 0 && localErrors.size === 0)}
          >
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" disabled={busy} onClick={reload}>
            Discard changes
          </button>
        </div>
      </form>
    </>
  );
}

function savedOutcome(result: SaveResult, count: number): Outcome {
  const details = [
    ...(result.restartRequired.length > 0
      ? [`Takes effect after a restart of photoferry: ${result.restartRequired.join(", ")}.`]
      : []),
    ...(result.layoutKept
      ? []
      : ["The file was re-rendered: comments are kept, some spacing changed."]),
    ...result.warnings,
  ];
  return {
    tone: "ok",
    text: `Saved ${count} change${count === 1 ? "" : "s"}.${result.restartRequired.length === 0 ? " In effect now." : ""}`,
    details,
  };
}

function FileNotes(props: { warnings: string[]; fileProblems: string[] }) {
  if (props.warnings.length === 0 && props.fileProblems.length === 0) return null;
  return (
    <Card title="About the config file" class="file-notes">
      {props.fileProblems.length > 0 && (
        <>
          <p class="inline-error">
            The file on disk has problems; photoferry keeps running with the last good config:
          </p>
          <ul class="file-problems">
            {props.fileProblems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </>
      )}
      {props.warnings.length > 0 && (
        <ul class="file-warnings">
          {props.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function withEntry<V>(map: Map<string, V>, key: string, value: V | undefined): Map<string, V> {
  if (value === undefined && !map.has(key)) return map;
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

function withMember(set: Set<string>, member: string, present: boolean): Set<string> {
  if (set.has(member) === present) return set;
  const next = new Set(set);
  if (present) next.add(member);
  else next.delete(member);
  return next;
}
