import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api/client.js";
import { describe, reportError } from "../components/errors.js";
import { Card, InlineError, Loading, PageHeader } from "../components/ui.js";
import { ConfigConflict, configView, loadConfig, saveConfig } from "../config/use-config.js";
import { useStore } from "../live/store.js";
import { placeProblems } from "../ops/config-problems.js";
import { Field, SecretField, SelectField, TextField } from "../ops/form-fields.js";
import {
  notifyEdits,
  notifyFieldPaths,
  notifyFormFrom,
  notifyLevels,
  type NotifyForm,
} from "../ops/notify-form.js";
import { session } from "../session.js";
import "../styles/ops.css";

type FieldErrors = Partial<Record<keyof NotifyForm, string>>;
type Outcome = { tone: "ok" | "bad" | "info"; text: string; extra?: string[] } | null;

export function NotificationsPage() {
  const view = useStore(configView);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Kept here: a save changes the hash, which gives the editor a fresh form from the config.
  const saveOutcome = useState<Outcome>(null);
  const testOutcome = useState<Outcome>(null);

  useEffect(() => {
    loadConfig().catch((error: unknown) => setLoadError(describe(error).message));
  }, []);

  return (
    <>
      <PageHeader title="Notifications" />
      <InlineError error={loadError} />
      {view ? (
        <NotifyEditor
          key={view.hash}
          config={view.config}
          saveOutcome={saveOutcome}
          testOutcome={testOutcome}
        />
      ) : (
        !loadError && <Loading />
      )}
    </>
  );
}

type OutcomeState = [Outcome, (value: Outcome) => void];

function NotifyEditor(props: {
  config: Record<string, unknown>;
  saveOutcome: OutcomeState;
  testOutcome: OutcomeState;
}) {
  const info = useStore(session);
  const readOnly = !(info?.canWrite ?? true);
  const { form: initial, secrets } = notifyFormFrom(props.config);
  const [form, setForm] = useState<NotifyForm>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveOutcome, setSaveOutcome] = props.saveOutcome;
  const [saving, setSaving] = useState(false);
  const change = (patch: Partial<NotifyForm>) => {
    setForm({ ...form, ...patch });
    if (saveOutcome) setSaveOutcome(null);
  };
  const pending = notifyEdits(initial, form);
  const dirty = !pending.ok || pending.edits.length > 0;

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    setErrors({});
    if (!pending.ok) {
      setErrors({ [pending.field]: pending.error });
      setSaveOutcome({ tone: "bad", text: "Not saved: fix the marked field." });
      return;
    }
    if (pending.edits.length === 0) {
      setSaveOutcome({ tone: "info", text: "Nothing changed, so nothing was saved." });
      return;
    }
    setSaving(true);
    try {
      const result = await saveConfig(pending.edits);
      // The editor is keyed by the config hash: the saved values come back as a fresh form.
      const restart = result.restartRequired.length
        ? [`Takes effect after a restart: ${result.restartRequired.join(", ")}.`]
        : [];
      setSaveOutcome({ tone: "ok", text: "Saved.", extra: [...restart, ...result.warnings] });
    } catch (error) {
      if (error instanceof ConfigConflict) {
        setSaveOutcome({ tone: "bad", text: error.message });
      } else if (error instanceof ApiError && error.status === 422) {
        const placed = placeProblems(error.body, notifyFieldPaths);
        setErrors(placed.byField);
        setSaveOutcome({ tone: "bad", text: `Not saved: ${error.message}.`, extra: placed.other });
      } else {
        reportError("Could not save the notification settings", error);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="ops-form" onSubmit={(event) => void save(event)} noValidate>
      {readOnly && (
        <p class="muted">
          You are signed in with read-only rights: these settings cannot be changed here.
        </p>
      )}
      <div class="grid ops-two">
        <Card title="ntfy">
          <TextField
            id="ntfy-url"
            label="Server URL"
            type="url"
            value={form.ntfyUrl}
            placeholder="https://ntfy.sh"
            onInput={(ntfyUrl) => change({ ntfyUrl })}
            error={errors.ntfyUrl}
            hint="Notifications over ntfy are off while this is empty."
            disabled={readOnly}
          />
          <TextField
            id="ntfy-topic"
            label="Topic"
            value={form.ntfyTopic}
            placeholder="photoferry"
            onInput={(ntfyTopic) => change({ ntfyTopic })}
            error={errors.ntfyTopic}
            hint="Letters, digits, - and _ (at most 64)."
            disabled={readOnly}
          />
          <TextField
            id="ntfy-user"
            label="User (optional)"
            value={form.ntfyUser}
            onInput={(ntfyUser) => change({ ntfyUser })}
            error={errors.ntfyUser}
            hint="With a user, the token below is that user's password; without one it is sent as an access token."
            disabled={readOnly}
          />
          <SecretField
            id="ntfy-token"
            label="Token or password"
            set={secrets.ntfyToken.set}
            file={secrets.ntfyToken.file}
            edit={form.ntfyToken}
            onChange={(ntfyToken) => change({ ntfyToken })}
            error={errors.ntfyToken}
            disabled={readOnly}
          />
          <SelectField
            id="ntfy-level"
            label="Send from level"
            value={form.ntfyLevel}
            options={notifyLevels}
            onChange={(ntfyLevel) => change({ ntfyLevel })}
            error={errors.ntfyLevel}
            disabled={readOnly}
          />
        </Card>
        <Card title="Webhook">
          <SecretField
            id="webhook-url"
            label="Webhook URL"
            set={secrets.webhookUrl.set}
            file={null}
            edit={form.webhookUrl}
            onChange={(webhookUrl) => change({ webhookUrl })}
            error={errors.webhookUrl}
            hint="Kept secret: Discord, Slack and others put their token in the address. Receives a JSON POST."
            disabled={readOnly}
          />
          <Field
            id="webhook-headers"
            label="Extra headers"
            error={errors.webhookHeaders}
            hint="One per line, like X-Source: photoferry. Not secret: put credentials below."
          >
            {(aria) => (
              <textarea
                {...aria}
                rows={3}
                spellcheck={false}
                value={form.webhookHeaders}
                disabled={readOnly}
                onInput={(event) =>
                  change({ webhookHeaders: (event.target as HTMLTextAreaElement).value })
                }
              />
            )}
          </Field>
          <TextField
            id="webhook-secret-header"
            label="Header carrying the secret"
            value={form.webhookSecretHeader}
            onInput={(webhookSecretHeader) => change({ webhookSecretHeader })}
            error={errors.webhookSecretHeader}
            disabled={readOnly}
          />
          <SecretField
            id="webhook-secret"
            label="Secret"
            set={secrets.webhookSecret.set}
            file={secrets.webhookSecret.file}
            edit={form.webhookSecret}
            onChange={(webhookSecret) => change({ webhookSecret })}
            error={errors.webhookSecret}
            hint="The header's value, e.g. Bearer abc…"
            disabled={readOnly}
          />
          <SelectField
            id="webhook-level"
            label="Send from level"
            value={form.webhookLevel}
            options={notifyLevels}
            onChange={(webhookLevel) => change({ webhookLevel })}
            error={errors.webhookLevel}
            disabled={readOnly}
          />
        </Card>
        <Card title="Links" class="wide">
          <TextField
            id="ui-url"
            label="Web UI address"
            type="url"
            value={form.uiUrl}
            placeholder="https://photoferry.example.org"
            onInput={(uiUrl) => change({ uiUrl })}
            error={errors.uiUrl}
            hint="As people open it (e.g. behind a reverse proxy): notifications link to the run there."
            disabled={readOnly}
          />
        </Card>
      </div>
      <div class="ops-actions">
        <button type="submit" class="primary" disabled={readOnly || saving || !dirty}>
          {saving ? "Saving…" : "Save"}
        </button>
        <SendTest dirty={dirty} readOnly={readOnly} outcome={props.testOutcome} />
      </div>
      <div aria-live="polite" class="ops-outcome">
        {saveOutcome && <OutcomeLine outcome={saveOutcome} />}
      </div>
    </form>
  );
}

function SendTest(props: { dirty: boolean; readOnly: boolean; outcome: OutcomeState }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = props.outcome;
  const send = async (): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.post<{ ok: boolean; detail: string }>("/api/test/notify");
      setOutcome({ tone: result.ok ? "ok" : "bad", text: result.detail });
      if (!result.ok) reportError("Test notification failed", new Error(result.detail));
    } catch (error) {
      setOutcome({ tone: "bad", text: describe(error).message });
      reportError("Could not send a test notification", error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy || props.readOnly} onClick={() => void send()}>
        {busy ? "Sending…" : "Send test"}
      </button>
      {props.dirty && <span class="muted small">Send test uses the saved settings.</span>}
      <div aria-live="polite" class="ops-outcome" id="notify-test-result">
        {outcome && <OutcomeLine outcome={outcome} label="Test notification" />}
      </div>
    </>
  );
}

function OutcomeLine(props: { outcome: NonNullable<Outcome>; label?: string }) {
  const { tone, text, extra } = props.outcome;
  const symbol = tone === "ok" ? "✓" : tone === "bad" ? "✗" : "i";
  return (
    <div class={`ops-result tone-${tone}`}>
      <p>
        <span aria-hidden="true" class="ops-symbol">
          {symbol}
        </span>{" "}
        {props.label && <strong>{props.label}: </strong>}
        {text}
      </p>
      {extra && extra.length > 0 && (
        <ul class="plain small">
          {extra.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
