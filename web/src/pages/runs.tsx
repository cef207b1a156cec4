import type { RunDetail, RunSummary } from "../api/types.js";
import { useApi } from "../api/use-api.js";
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatRelative,
} from "../components/format.js";
import { RunOutcomeBadge } from "../components/run-outcome.js";
import {
  Badge,
  Card,
  Empty,
  InlineError,
  Loading,
  PageHeader,
  StepProgressBar,
  stepLabels,
} from "../components/ui.js";
import { ActivityTable } from "../history/activity-table.js";
import { Pager } from "../history/pager.js";
import { offsetFromQuery } from "../history/paging.js";
import { CommandList } from "../history/run-commands.js";
import {
  elapsedMs,
  stepElapsedMs,
  stepStateTone,
  triggerWords,
  withLiveProgress,
} from "../history/run-view.js";
import { useVisibleInterval } from "../history/visible-interval.js";
import { liveState } from "../live/live-status.js";
import { useStore } from "../live/store.js";
import { usePath } from "../router.js";
import "../styles/history.css";

const PAGE_SIZE = 25;
/** A running run's commands and files are not in the live events: fetch them this often. */
const RUNNING_POLL_MS = 3000;

export function RunsPage() {
  const { query } = usePath();
  const live = useStore(liveState);
  const offset = offsetFromQuery(query);
  const runs = useApi<{ items: RunSummary[]; total: number }>(
    `/api/runs?limit=${PAGE_SIZE}&offset=${offset}`,
    `${live.runsVersion}|${live.status?.current?.id ?? ""}`,
  );
  const current = live.status?.current ?? null;

  return (
    <>
      <PageHeader title="History" />
      <Card>
        <InlineError error={runs.error} />
        {!runs.data && !runs.error && <Loading />}
        {runs.data && runs.data.total === 0 && (
          <Empty>No runs yet: they appear here when photos arrive or you press Run now.</Empty>
        )}
        {runs.data && runs.data.items.length > 0 && (
          <RunTable runs={runs.data.items.map((run) => withLiveProgress(run, current))} />
        )}
        {runs.data && (
          <Pager
            total={runs.data.total}
            limit={PAGE_SIZE}
            offset={offset}
            noun="runs"
            href={(next) => (next > 0 ? `/runs?offset=${next}` : "/runs")}
          />
        )}
      </Card>
    </>
  );
}

function RunTable(props: { runs: RunSummary[] }) {
  const now = Date.now();
  return (
    <div class="table-wrap">
      <table class="table runs-table stack-on-phone">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Trigger</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Outcome</th>
            <th scope="col" class="num">
              Seen
            </th>
            <th scope="col" class="num">
              Moved
            </th>
            <th scope="col" class="num">
              Dups
            </th>
            <th scope="col" class="num">
              Skipped
            </th>
            <th scope="col" class="num">
              Failed
            </th>
            <th scope="col" class="num">
              Data
            </th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr key={run.id}>
              <th scope="row">
                <a href={`/runs/${run.id}`}>#{run.id}</a>
              </th>
              <td data-label="Trigger">
                {triggerWords[run.trigger]}
                <span class="muted small reason">{run.reason}</span>
              </td>
              <td class="nowrap" data-label="Started">
                <time dateTime={run.startedAt} title={formatDateTime(run.startedAt)}>
                  {formatRelative(run.startedAt)}
                </time>
              </td>
              <td class="nowrap" data-label="Duration">
                {formatDuration(elapsedMs(run.startedAt, run.finishedAt, now))}
              </td>
              <td data-label="Outcome">
                <RunOutcomeBadge outcome={run.outcome} />
              </td>
              <td class="num" data-label="Seen">
                {run.counts.seen}
              </td>
              <td class="num" data-label="Moved">
                {run.counts.moved}
              </td>
              <td class="num" data-label="Dups">
                {run.counts.duplicates}
              </td>
              <td class="num" data-label="Skipped">
                {run.counts.skipped}
              </td>
              <td class={run.counts.failed > 0 ? "num bad-text" : "num"} data-label="Failed">
                {run.counts.failed}
              </td>
              <td class="num nowrap" data-label="Data">
                {formatBytes(run.counts.bytes)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RunDetailPage(props: { params: Record<string, string> }) {
  const id = Number(props.params.id);
  const live = useStore(liveState);
  const detail = useApi<RunDetail>(`/api/runs/${id}`, live.runsVersion);
  const loaded = detail.data?.id === id ? detail.data : null;
  const running = loaded !== null && loaded.outcome === null;
  useVisibleInterval(detail.reload, RUNNING_POLL_MS, running);

  const missing = detail.error !== null && !loaded;
  return (
    <>
      <PageHeader title={`Run #${props.params.id ?? ""}`}>
        {loaded && <RunOutcomeBadge outcome={loaded.outcome} />}
      </PageHeader>
      {missing && (
        <Card>
          <InlineError error={detail.error} />
          <p>
            <a href="/runs">← Back to History</a>
          </p>
        </Card>
      )}
      {!loaded && !missing && <Loading />}
      {loaded && <RunDetailView run={withLiveProgress(loaded, live.status?.current ?? null)} />}
    </>
  );
}

function RunDetailView(props: { run: RunDetail }) {
  const { run } = props;
  const now = Date.now();
  return (
    <div class="grid">
      <Card title="Summary" class="wide">
        <dl class="facts">
          <Fact label="Trigger" value={`${triggerWords[run.trigger]} — ${run.reason}`} />
          <Fact label="Started" value={formatDateTime(run.startedAt)} />
          <Fact
            label="Finished"
            value={run.finishedAt ? formatDateTime(run.finishedAt) : "still running"}
          />
          <Fact
            label="Duration"
            value={formatDuration(elapsedMs(run.startedAt, run.finishedAt, now))}
          />
        </dl>
        <dl class="stats">
          <Fact label="Seen" value={String(run.counts.seen)} />
          <Fact label="Moved" value={String(run.counts.moved)} />
          <Fact label="Duplicates" value={String(run.counts.duplicates)} />
          <Fact label="Skipped" value={String(run.counts.skipped)} />
          <Fact label="Failed" value={String(run.counts.failed)} />
          <Fact label="Data" value={formatBytes(run.counts.bytes)} />
        </dl>
      </Card>
      {run.errors.length > 0 && (
        <Card title="Errors" class="wide">
          <ul class="error-list" role="list">
            {run.errors.map((message, index) => (
              <li key={`${index}-${message}`}>{message}</li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Steps" class="wide">
        {run.outcome === null && (
          <div class="steps" aria-live="polite">
            {run.steps.map((step) => (
              <StepProgressBar key={step.name} step={step} />
            ))}
          </div>
        )}
        <StepTable run={run} now={now} />
      </Card>
      <Card title={`Commands (${run.commands.length})`} class="wide">
        {run.commands.length === 0 ? (
          <Empty>
            {run.outcome === null ? "No command has run yet." : "This run ran no commands."}
          </Empty>
        ) : (
          <CommandList commands={run.commands} />
        )}
      </Card>
      <Card title={`Files (${run.files.length})`} class="wide">
        {run.files.length === 0 ? (
          <Empty>No file actions in this run.</Empty>
        ) : (
          <ActivityTable entries={run.files} />
        )}
      </Card>
    </div>
  );
}

function StepTable(props: { run: RunDetail; now: number }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col" class="num">
              Files
            </th>
            <th scope="col" class="num">
              Data
            </th>
          </tr>
        </thead>
        <tbody>
          {props.run.steps.map((step) => (
            <tr key={step.name}>
              <th scope="row">{stepLabels[step.name]}</th>
              <td>
                <Badge tone={stepStateTone[step.state]}>{step.state}</Badge>
              </td>
              <td class="nowrap">{step.startedAt ? formatDateTime(step.startedAt) : "–"}</td>
              <td class="nowrap">{formatDuration(stepElapsedMs(step, props.now))}</td>
              <td class="num">
                {step.filesTotal > 0 ? `${step.filesDone}/${step.filesTotal}` : "–"}
              </td>
              <td class="num nowrap">{step.bytesTotal > 0 ? formatBytes(step.bytesTotal) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Fact(props: { label: string; value: string }) {
  return (
    <div class="stat">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
