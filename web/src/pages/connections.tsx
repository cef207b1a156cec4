import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.js";
import { describe, reportError } from "../components/errors.js";
import { Badge, Card, InlineError, PageHeader } from "../components/ui.js";
import { configView, loadConfig } from "../config/use-config.js";
import { useStore } from "../live/store.js";
import {
  describeRunner,
  statusLook,
  summarize,
  worstStatus,
  type App,
  type CheckResult,
} from "../ops/connection-view.js";
import { session } from "../session.js";
import "../styles/ops.css";

const apps: { app: App; title: string; about: string }[] = [
  {
    app: "nextcloud",
    title: "Nextcloud",
    about:
      "Runs occ the way photoferry does after an import: occ status (installed, not in maintenance mode), the user list and the Memories app.",
  },
  {
    app: "photoprism",
    title: "PhotoPrism",
    about:
      "Checks how the import is started: photoprism --version through the runner, and the REST API with its app password when photoferry uses it.",
  },
];

export function ConnectionsPage() {
  const view = useStore(configView);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    loadConfig().catch((error: unknown) => setLoadError(describe(error).message));
  }, []);

  return (
    <>
      <PageHeader title="Connections" />
      <p class="muted">
        Each test runs against the config in use, the same checks as{" "}
        <code class="ops-code">photoferry doctor</code>.
      </p>
      <InlineError error={loadError} />
      <div class="grid">
        {apps.map((item) => (
          <ConnectionCard key={item.app} {...item} config={view?.config ?? null} />
        ))}
      </div>
      <p>
        Notifications have their own test: <a href="/notifications">Notifications → Send test</a>.
      </p>
    </>
  );
}

function ConnectionCard(props: {
  app: App;
  title: string;
  about: string;
  config: Record<string, unknown> | null;
}) {
  const info = useStore(session);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [testedAt, setTestedAt] = useState<Date | null>(null);
  const runner = props.config ? describeRunner(props.config, props.app) : null;

  const test = async (): Promise<void> => {
    setBusy(true);
    try {
      const reply = await api.post<{ ok: boolean; results: CheckResult[] }>(
        `/api/test/${props.app}`,
      );
      setResults(reply.results);
      setTestedAt(new Date());
    } catch (error) {
      reportError(`Could not test ${props.title}`, error);
    } finally {
      setBusy(false);
    }
  };

  const worst = results ? worstStatus(results) : null;
  return (
    <Card title={props.title} class="wide">
      <p class="muted">{props.about}</p>
      {runner && (
        <p class="runner-line">
          <span class="muted">Reached by:</span> <span>{runner.text}</span>
        </p>
      )}
      {runner?.kind === "docker" && (
        <p class="muted small">
          Docker reachability shows in these results: the checks go through the same Docker Engine
          API.
        </p>
      )}
      <div class="ops-actions">
        <button
          type="button"
          class="primary"
          disabled={busy || !(info?.canWrite ?? true)}
          onClick={() => void test()}
        >
          {busy ? "Testing…" : `Test ${props.title}`}
        </button>
      </div>
      <div aria-live="polite" id={`${props.app}-results`}>
        {results && worst && (
          <>
            <p class="runner-line">
              <Badge tone={statusLook[worst].tone}>{statusLook[worst].word}</Badge>
              <span>{summarize(results)}</span>
              {testedAt && <span class="muted small">at {testedAt.toLocaleTimeString()}</span>}
            </p>
            <ul class="check-list" aria-label={`${props.title} results`}>
              {results.map((result, index) => (
                <CheckLine key={`${result.name}-${index}`} result={result} />
              ))}
            </ul>
          </>
        )}
      </div>
    </Card>
  );
}

function CheckLine(props: { result: CheckResult }) {
  const { result } = props;
  const look = statusLook[result.status];
  return (
    <li class={`check check-${result.status}`}>
      <span class="check-symbol" aria-hidden="true">
        {look.symbol}
      </span>
      <span class="check-name">
        <span class="visually-hidden">{look.word}: </span>
        {result.name}
        {result.area !== "nextcloud" && result.area !== "photoprism" && (
          <span class="muted small"> ({result.area})</span>
        )}
      </span>
      <span>{result.detail}</span>
      {result.fix && <span class="check-fix">{result.fix}</span>}
    </li>
  );
}
