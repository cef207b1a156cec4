import { useState } from "preact/hooks";
import { useApi } from "../api/use-api.js";
import { formatDateTime, formatRelative } from "../components/format.js";
import { Empty, InlineError, Loading } from "../components/ui.js";
import {
  actionLabel,
  auditActions,
  auditPath,
  detailText,
  pageInfo,
  type AuditPage,
} from "./audit-view.js";

const PAGE_SIZE = 20;

/** GET /api/audit, newest first, a page at a time, filtered by action. */
export function AuditLog(props: { version?: number }) {
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState("");
  const [version, setVersion] = useState(0);
  const log = useApi<AuditPage>(
    auditPath(offset, PAGE_SIZE, action),
    `${version}/${props.version ?? 0}`,
  );
  const items = log.data?.items ?? [];
  const page = pageInfo(offset, PAGE_SIZE, log.data?.total ?? 0, items.length);

  return (
    <div>
      <div class="audit-filter">
        <div class="ops-field">
          <label for="audit-action">Show</label>
          <select
            id="audit-action"
            value={action}
            onChange={(event) => {
              setAction((event.target as HTMLSelectElement).value);
              setOffset(0);
            }}
          >
            <option value="">All actions</option>
            {Object.entries(auditActions).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => setVersion((value) => value + 1)}>
          Refresh
        </button>
      </div>
      <InlineError error={log.error} />
      {log.loading && !log.data && <Loading />}
      {log.data && items.length === 0 && (
        <Empty>Nothing logged{action ? " of this kind" : ""} yet.</Empty>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Address</th>
                <th scope="col">Action</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <time dateTime={item.at} title={formatDateTime(item.at)}>
                      {formatRelative(item.at)}
                    </time>
                  </td>
                  <td>{item.actor}</td>
                  <td class="mono">{item.ip}</td>
                  <td>{actionLabel(item.action)}</td>
                  <td
                    class="audit-detail"
                    title={item.detail ? JSON.stringify(item.detail) : undefined}
                  >
                    {detailText(item.detail)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data && log.data.total > 0 && (
        <nav class="pager" aria-label="Audit log pages">
          <button
            type="button"
            disabled={!page.hasPrevious}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            ← Newer
          </button>
          <span aria-live="polite">
            {page.first}–{page.last} of {log.data.total}
          </span>
          <button
            type="button"
            disabled={!page.hasNext}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Older →
          </button>
        </nav>
      )}
    </div>
  );
}
