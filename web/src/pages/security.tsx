import { useEffect, useState } from "preact/hooks";
import { describe } from "../components/errors.js";
import { Badge, Card, InlineError, PageHeader } from "../components/ui.js";
import { configView, isSecretView, loadConfig, valueAt } from "../config/use-config.js";
import { useStore } from "../live/store.js";
import { AuditLog } from "../ops/audit-log.js";
import { TokenManager } from "../ops/token-manager.js";
import { session } from "../session.js";
import "../styles/ops.css";

const methodWords = {
  open: "no login (no password is set)",
  session: "the web password (a session in this browser)",
  header: "your reverse proxy's sign-in (trusted header)",
  token: "an API token",
} as const;

export function SecurityPage() {
  const info = useStore(session);
  const view = useStore(configView);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Creating or revoking a token writes an audit entry: the log below then reloads.
  const [auditVersion, setAuditVersion] = useState(0);
  useEffect(() => {
    loadConfig().catch((error: unknown) => setLoadError(describe(error).message));
  }, []);

  const config = view?.config;
  const hash = valueAt(config, ["web", "auth", "passwordHash"]);
  const hashFile = valueAt(config, ["web", "auth", "passwordHashFile"]);
  const hashSet = isSecretView(hash) ? hash.set : false;
  const passwordOn = info?.passwordRequired ?? hashSet;
  const list = (path: string[]): string[] => {
    const value = valueAt(config, path);
    return Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string")
      : [];
  };
  const trustedHeader = valueAt(config, ["web", "auth", "trustedHeader"]);

  return (
    <>
      <PageHeader title="Security" />
      <InlineError error={loadError} />
      <div class="grid ops-two">
        <Card title="Web password">
          <p>
            {passwordOn ? (
              <Badge tone="ok">Password set</Badge>
            ) : (
              <Badge tone="warn">No password</Badge>
            )}{" "}
            {passwordOn
              ? "The web UI and API ask for the password (or a token)."
              : "Anyone who can reach this address can use photoferry."}
          </p>
          {info?.method && <p class="muted">You are signed in with {methodWords[info.method]}.</p>}
          {typeof hashFile === "string" && (
            <p class="muted small">
              The hash is read from <code class="ops-code">{hashFile}</code>.
            </p>
          )}
          <details>
            <summary>{passwordOn ? "Change the password" : "Set a password"}</summary>
            <ol class="small">
              <li>
                On the photoferry host run <code class="ops-code">photoferry hash-password</code>{" "}
                (in Docker:{" "}
                <code class="ops-code">docker exec -it photoferry photoferry hash-password</code>)
                and type the new password.
              </li>
              <li>
                Put the printed hash in <code class="ops-code">web.auth.passwordHash</code>, or in a
                file named by <code class="ops-code">web.auth.passwordHashFile</code> (e.g. a Docker
                secret).
              </li>
              <li>Changing the password signs out every browser.</li>
            </ol>
          </details>
        </Card>
        <Card title="Network access">
          <dl class="ops-dl">
            <dt>Allowed clients</dt>
            <dd>{list(["web", "allow"]).join(", ") || "everyone (web.allow is empty)"}</dd>
            <dt>Trusted proxies</dt>
            <dd>{list(["web", "trustedProxies"]).join(", ") || "none"}</dd>
            <dt>Trusted sign-in header</dt>
            <dd>{typeof trustedHeader === "string" ? trustedHeader : "none"}</dd>
          </dl>
          <p>
            <a href="/settings">Change these in Settings →</a>
          </p>
        </Card>
        <Card title="API tokens" class="wide">
          <TokenManager onChange={() => setAuditVersion((value) => value + 1)} />
        </Card>
        <Card title="Audit log" class="wide">
          <AuditLog version={auditVersion} />
        </Card>
      </div>
    </>
  );
}
