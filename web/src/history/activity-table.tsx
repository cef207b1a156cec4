import type { ActivityEntry } from "../api/types.js";
import { formatBytes, formatDateTime, formatRelative } from "../components/format.js";
import { Badge } from "../components/ui.js";
import { actionWords, baseName, shortHash } from "./run-view.js";

/** File actions, newest first: the activity log's results and a run's own files. */
export function ActivityTable(props: { entries: ActivityEntry[]; showRun?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="table activity-table stack-on-phone">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">User</th>
            <th scope="col">Action</th>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
            {props.showRun && <th scope="col">Run</th>}
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <ActivityRow key={entry.id} entry={entry} showRun={props.showRun ?? false} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ActivityRow(props: { entry: ActivityEntry; showRun: boolean }) {
  const { entry } = props;
  const action = actionWords[entry.action];
  return (
    <tr>
      <td class="nowrap" data-label="When">
        <time dateTime={entry.at} title={formatDateTime(entry.at)}>
          {formatRelative(entry.at)}
        </time>
      </td>
      <td data-label="User">{entry.userId}</td>
      <td data-label="Action">
        <Badge tone={action.tone}>{action.label}</Badge>
      </td>
      <td class="file-cell" data-label="File">
        <span class="file-name" title={entry.source}>
          {baseName(entry.source)}
        </span>
        <span class="muted small path">{entry.source}</span>
        {entry.destination && (
          <span class="muted small path">
            <span aria-label="moved to">→</span> {entry.destination}
          </span>
        )}
        {entry.reason && <span class="small reason">{entry.reason}</span>}
      </td>
      <td class="nowrap" data-label="Size">
        {formatBytes(entry.size)}
      </td>
      <td data-label="SHA-256">
        <code class="hash" title={entry.sha256 ?? "no hash recorded"}>
          {shortHash(entry.sha256)}
        </code>
      </td>
      {props.showRun && (
        <td data-label="Run">
          <a href={`/runs/${entry.runId}`}>#{entry.runId}</a>
        </td>
      )}
    </tr>
  );
}
