import type { QueueView } from "../api/types.js";
import { useApi } from "../api/use-api.js";
import { formatDateTime, formatRelative, plural } from "../components/format.js";
import { Badge, Card, Empty, InlineError, Loading, PageHeader } from "../components/ui.js";
import {
  countStates,
  describeCounts,
  groupQueueByUser,
  queueStates,
  queueStateWords,
  type UserQueue,
} from "../history/queue-groups.js";
import { triggerWords } from "../history/run-view.js";
import { useVisibleInterval } from "../history/visible-interval.js";
import { liveState } from "../live/live-status.js";
import { useStore } from "../live/store.js";
import "../styles/history.css";

/** Files move between states without an event of their own: poll while the page is seen. */
const POLL_MS = 4000;

export function QueuePage() {
  const live = useStore(liveState);
  const status = live.status;
  const runningStep = status?.current?.steps.find((step) => step.state === "running")?.name;
  // Reload at once when the service changes state, a run starts, moves on a step or ends.
  const version = [
    status?.state,
    status?.queueLength,
    status?.current?.id,
    runningStep,
    live.runsVersion,
  ].join("|");
  const queue = useApi<QueueView>("/api/queue", version);
  useVisibleInterval(queue.reload, POLL_MS);

  return (
    <>
      <PageHeader title="Queue">
        <button type="button" onClick={queue.reload} disabled={queue.loading}>
          Refresh
        </button>
      </PageHeader>
      <InlineError error={queue.error} />
      {!queue.data ? (
        !queue.error && <Loading />
      ) : (
        <div class="grid">
          <Card title="Runs waiting" class="wide">
            {status?.current && (
              <p>
                <Badge tone="info">running</Badge>{" "}
                <a href={`/runs/${status.current.id}`}>Run #{status.current.id}</a>{" "}
                <span class="muted">
                  {status.current.reason} · started {formatRelative(status.current.startedAt)}
                </span>
              </p>
            )}
            <PendingRuns pending={queue.data.pending} />
          </Card>
          <Card title="Files not finished" class="wide">
            <QueuedFiles files={queue.data.files} />
          </Card>
        </div>
      )}
    </>
  );
}

function PendingRuns(props: { pending: QueueView["pending"] }) {
  if (props.pending.length === 0) return <Empty>No runs waiting to start.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Trigger</th>
            <th scope="col">Reason</th>
            <th scope="col">Asked for</th>
          </tr>
        </thead>
        <tbody>
          {props.pending.map((run, index) => (
            <tr key={`${run.trigger}-${run.requestedAt}`}>
              <td>{index + 1}</td>
              <td>{triggerWords[run.trigger]}</td>
              <td>{run.reason}</td>
              <td>
                <time dateTime={run.requestedAt} title={formatDateTime(run.requestedAt)}>
                  {formatRelative(run.requestedAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QueuedFiles(props: { files: QueueView["files"] }) {
  if (props.files.length === 0) {
    return <Empty>Nothing waiting: every file photoferry has seen is done.</Empty>;
  }
  const totals = countStates(props.files);
  return (
    <>
      <ul class="state-totals" aria-label="Files per state">
        {queueStates.map((state) => (
          <li key={state} title={queueStateWords[state].meaning}>
            <Badge tone={totals[state] > 0 ? queueStateWords[state].tone : "muted"}>
              {queueStateWords[state].label}: {totals[state]}
            </Badge>
          </li>
        ))}
      </ul>
      {groupQueueByUser(props.files).map((group) => (
        <UserFiles key={group.userId} group={group} />
      ))}
    </>
  );
}

function UserFiles(props: { group: UserQueue }) {
  const { group } = props;
  return (
    <section class="queue-user" aria-label={`Files of ${group.userId}`}>
      <h3>
        {group.userId}{" "}
        <span class="muted small">
          {plural(group.files.length, "file")} · {describeCounts(group.counts)}
        </span>
      </h3>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">State</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {group.files.map((file) => (
              <tr key={file.path}>
                <td class="path">{file.path}</td>
                <td>
                  <Badge tone={queueStateWords[file.state].tone}>
                    {queueStateWords[file.state].label}
                  </Badge>
                </td>
                <td>{file.reason ?? queueStateWords[file.state].meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
