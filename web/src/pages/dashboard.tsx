import { useState } from "preact/hooks";
import { api } from "../api/client.js";
import type { RunSummary, StatusSnapshot } from "../api/types.js";
import { useApi } from "../api/use-api.js";
import { reportError } from "../components/errors.js";
import { formatBytes, formatDateTime, formatRelative, plural } from "../components/format.js";
import { RunOutcomeBadge } from "../components/run-outcome.js";
import {
  Card,
  Empty,
  InlineError,
  Loading,
  PageHeader,
  StepProgressBar,
} from "../components/ui.js";
import { liveState } from "../live/live-status.js";
import { useStore } from "../live/store.js";
import { session } from "../session.js";

export function DashboardPage() {
  const live = useStore(liveState);
  const status = live.status;
  const runs = useApi<{ items: RunSummary[]; total: number }>(
    "/api/runs?limit=5&offset=0",
    live.runsVersion,
  );

  return (
    <>
      <PageHeader title="Dashboard">{status && <SyncButtons status={status} />}</PageHeader>
      {!status ? (
        <Loading />
      ) : (
        <div class="grid">
          <CurrentRun status={status} />
          <Card title="Next scheduled run">
            <NextRuns status={status} />
          </Card>
          <Card title="Totals">
            <dl class="stats">
              <Stat label="Runs" value={status.totals.runs.toLocaleString("en")} />
              <Stat label="Photos moved" value={status.totals.moved.toLocaleString("en")} />
              <Stat label="Duplicates" value={status.totals.duplicates.toLocaleString("en")} />
              <Stat label="Failed" value={status.totals.failed.toLocaleString("en")} />
              <Stat label="Data moved" value={formatBytes(status.totals.bytes)} />
              <Stat label="Waiting runs" value={String(status.queueLength)} />
            </dl>
          </Card>
          <Card title="Last runs" class="wide">
            <InlineError error={runs.error} />
            {runs.data && runs.data.items.length === 0 && <Empty>No runs yet.</Empty>}
            {runs.data && runs.data.items.length > 0 && <RecentRuns runs={runs.data.items} />}
            <p>
              <a href="/runs">All runs →</a>
            </p>
          </Card>
          <Card title="Recent errors" class="wide">
            {status.recentErrors.length === 0 ? (
              <Empty>No errors. </Empty>
            ) : (
              <ul class="error-list">
                {status.recentErrors.map((item) => (
                  <li key={`${item.at}${item.message}`}>
                    <time dateTime={item.at} title={formatDateTime(item.at)}>
                      {formatRelative(item.at)}
                    </time>{" "}
                    {item.message}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Live log" class="wide">
            {live.log.length === 0 ? (
              <Empty>Nothing logged since this page opened.</Empty>
            ) : (
              <ol class="log-lines" aria-live="polite">
                {live.log.slice(0, 12).map((line, index) => (
                  <li key={`${line.at}-${index}`} class={`log-${line.level}`}>
                    <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time>{" "}
                    <span class="log-level">{line.level}</span> {line.message}
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      )}
    </>
  );
}

function SyncButtons(props: { status: StatusSnapshot }) {
  const info = useStore(session);
  const [busy, setBusy] = useState<string | null>(null);
  const readOnly = !(info?.canWrite ?? true);
  const act = async (name: string, path: string, body: unknown, title: string): Promise<void> => {
    setBusy(name);
    try {
      await api.post(path, body);
    } catch (error) {
      reportError(title, error);
    } finally {
      setBusy(null);
    }
  };
  const { paused, state } = props.status;
  return (
    <>
      <button
        type="button"
        class="primary"
        disabled={readOnly || busy !== null || state === "stopping"}
        onClick={() => void act("run", "/api/sync/trigger", { reason: "web UI" }, "Run now failed")}
      >
        {busy === "run" ? "Asking…" : "Run now"}
      </button>
      {paused ? (
        <button
          type="button"
          disabled={readOnly || busy !== null}
          onClick={() => void act("resume", "/api/sync/resume", {}, "Resume failed")}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          disabled={readOnly || busy !== null}
          onClick={() => void act("pause", "/api/sync/pause", {}, "Pause failed")}
        >
          Pause
        </button>
      )}
    </>
  );
}

function CurrentRun(props: { status: StatusSnapshot }) {
  const run = props.status.current;
  if (!run) {
    return (
      <Card title="Current run" class="wide">
        <p class="big-state">
          {props.status.paused
            ? "Paused: no new run starts until you resume."
            : props.status.state === "error"
              ? "photoferry needs attention: see Recent errors."
              : "Idle: watching for new photos."}
        </p>
      </Card>
    );
  }
  return (
    <Card title={`Run #${run.id} — ${run.reason}`} class="wide current-run">
      <p class="muted">
        Started {formatRelative(run.startedAt)} · {plural(run.counts.seen, "file")} seen ·{" "}
        {plural(run.counts.moved, "photo")} moved · {formatBytes(run.counts.bytes)}
      </p>
      <div class="steps">
        {run.steps.map((step) => (
          <StepProgressBar key={step.name} step={step} />
        ))}
      </div>
    </Card>
  );
}

function NextRuns(props: { status: StatusSnapshot }) {
  const scheduled = props.status.nextScheduled ?? [];
  if (scheduled.length === 0 && props.status.nextRuns.length === 0) {
    return <Empty>No schedule set: runs start when photos arrive or when you press Run now.</Empty>;
  }
  const items =
    scheduled.length > 0
      ? scheduled
      : props.status.nextRuns.map((at) => ({ at, cron: "", folders: null }));
  const [first, ...rest] = items;
  return (
    <>
      {first && (
        <p class="big-state">
          <time dateTime={first.at} title={formatDateTime(first.at)}>
            {formatRelative(first.at)}
          </time>
          <span class="muted"> · {formatDateTime(first.at)}</span>
        </p>
      )}
      {first?.folders && <p class="muted">Folders: {first.folders.join(", ")}</p>}
      {rest.length > 0 && (
        <ul class="plain small">
          {rest.slice(0, 4).map((item) => (
            <li key={item.at + item.cron}>
              {formatDateTime(item.at)}
              {item.folders && <span class="muted"> · {item.folders.join(", ")}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RecentRuns(props: { runs: RunSummary[] }) {
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Started</th>
          <th scope="col">Outcome</th>
          <th scope="col">Moved</th>
          <th scope="col">Failed</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => (
          <tr key={run.id}>
            <td>
              <a href={`/runs/${run.id}`}>#{run.id}</a> <span class="muted">{run.reason}</span>
            </td>
            <td>
              <time dateTime={run.startedAt} title={formatDateTime(run.startedAt)}>
                {formatRelative(run.startedAt)}
              </time>
            </td>
            <td>
              <RunOutcomeBadge outcome={run.outcome} />
            </td>
            <td>{run.counts.moved}</td>
            <td>{run.counts.failed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Stat(props: { label: string; value: string }) {
  return (
    <div class="stat">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
