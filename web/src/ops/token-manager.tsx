import { useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api/client.js";
import { useApi } from "../api/use-api.js";
import { describe, reportError } from "../components/errors.js";
import { formatDateTime, formatRelative } from "../components/format.js";
import { Badge, Empty, InlineError, Loading } from "../components/ui.js";
import { useStore } from "../live/store.js";
import { session } from "../session.js";
import { Field } from "./form-fields.js";
import {
  scopeWords,
  tokenNameProblem,
  TOKEN_NAME_MAX,
  type CreatedToken,
  type TokenItem,
  type TokenScope,
} from "./token-form.js";

/** List, create (the secret shown once) and revoke API tokens: /api/tokens. */
export function TokenManager(props: { onChange?: () => void }) {
  const info = useStore(session);
  const [version, setVersion] = useState(0);
  const changed = (): void => {
    setVersion((value) => value + 1);
    props.onChange?.();
  };
  const byToken = info?.method === "token";
  const tokens = useApi<{ items: TokenItem[] }>(byToken ? null : "/api/tokens", version);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const canManage = (info?.canWrite ?? true) && !byToken;

  if (byToken) {
    return (
      <p class="muted">
        This request uses an API token, and a token cannot list or create tokens: sign in with the
        web password to manage them.
      </p>
    );
  }
  const items = tokens.data?.items ?? [];
  return (
    <div class="ops-stack">
      <p class="muted">
        For scripts and Prometheus: send{" "}
        <code class="ops-code">Authorization: Bearer &lt;token&gt;</code>. A read token can only
        read; a write token can also start runs and change settings.
      </p>
      <div aria-live="polite">
        {created && <TokenReveal token={created} onDone={() => setCreated(null)} />}
      </div>
      {canManage && (
        <CreateToken
          existing={items}
          onCreated={(token) => {
            setCreated(token);
            changed();
          }}
        />
      )}
      <InlineError error={tokens.error} />
      {tokens.loading && !tokens.data && <Loading />}
      {tokens.data && items.length === 0 && <Empty>No API tokens yet.</Empty>}
      {items.length > 0 && <TokenTable items={items} canManage={canManage} onRevoked={changed} />}
    </div>
  );
}

function CreateToken(props: { existing: TokenItem[]; onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const problem = tokenNameProblem(name, props.existing);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      const token = await api.post<CreatedToken>("/api/tokens", { name: name.trim(), scope });
      setName("");
      props.onCreated(token);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 400 || failure.status === 409)) {
        setError(describe(failure).message);
      } else {
        reportError("Could not create the token", failure);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="token-create" onSubmit={(event) => void submit(event)} noValidate>
      <Field id="token-name" label="New token name" error={error ?? undefined}>
        {(aria) => (
          <input
            {...aria}
            type="text"
            maxLength={TOKEN_NAME_MAX + 10}
            value={name}
            placeholder="e.g. grafana"
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <Field id="token-scope" label="Rights">
        {(aria) => (
          <select
            {...aria}
            value={scope}
            onChange={(event) => setScope((event.target as HTMLSelectElement).value as TokenScope)}
          >
            <option value="read">{scopeWords.read}</option>
            <option value="write">{scopeWords.write}</option>
          </select>
        )}
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

function TokenReveal(props: { token: CreatedToken; onDone: () => void }) {
  const code = useRef<HTMLElement>(null);
  const [copyState, setCopyState] = useState<string>("");
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.token.token);
      setCopyState("Copied to the clipboard.");
    } catch {
      // No clipboard access (plain http, or permission refused): select it for Ctrl+C instead.
      const element = code.current;
      const selection = window.getSelection();
      if (element && selection) {
        selection.selectAllChildren(element);
        setCopyState("Selected: press Ctrl+C (⌘C) to copy.");
      } else {
        setCopyState("Copy it by hand.");
      }
    }
  };
  return (
    <section class="token-reveal" aria-label="New token">
      <p>
        <strong>
          Token "{props.token.name}" ({props.token.scope}) created.
        </strong>{" "}
        Copy it now: it is shown only this once and cannot be read again. Store it like a password.
      </p>
      <code ref={code} class="new-token">
        {props.token.token}
      </code>
      <div class="confirm-row">
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy token
        </button>
        <button type="button" onClick={props.onDone}>
          I have stored it
        </button>
        <span class="muted small" role="status">
          {copyState}
        </span>
      </div>
    </section>
  );
}

function TokenTable(props: { items: TokenItem[]; canManage: boolean; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async (token: TokenItem): Promise<void> => {
    setBusy(true);
    try {
      await api.delete(`/api/tokens/${encodeURIComponent(token.id)}`);
    } catch (error) {
      reportError(`Could not revoke token "${token.name}"`, error);
    } finally {
      setBusy(false);
      setConfirming(null);
      props.onRevoked();
    }
  };
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Rights</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            {props.canManage && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.items.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>
                <Badge tone={token.scope === "write" ? "warn" : "info"}>{token.scope}</Badge>
              </td>
              <td>
                <time dateTime={token.createdAt} title={formatDateTime(token.createdAt)}>
                  {formatRelative(token.createdAt)}
                </time>
              </td>
              <td>
                {token.lastUsedAt ? (
                  <time dateTime={token.lastUsedAt} title={formatDateTime(token.lastUsedAt)}>
                    {formatRelative(token.lastUsedAt)}
                  </time>
                ) : (
                  <span class="muted">never</span>
                )}
              </td>
              {props.canManage && (
                <td>
                  {confirming === token.id ? (
                    <span class="confirm-row" role="group" aria-label={`Revoke ${token.name}?`}>
                      <span class="small">Scripts using it stop at once.</span>
                      <button
                        type="button"
                        class="danger"
                        disabled={busy}
                        onClick={() => void revoke(token)}
                      >
                        Yes, revoke
                      </button>
                      <button type="button" disabled={busy} onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => setConfirming(token.id)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
