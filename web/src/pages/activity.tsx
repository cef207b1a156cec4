import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import type { ActivityEntry, UserView } from "../api/types.js";
import { useApi } from "../api/use-api.js";
import { plural } from "../components/format.js";
import { Card, Empty, InlineError, Loading, PageHeader } from "../components/ui.js";
import {
  activityPagePath,
  filterFields,
  filterProblems,
  filtersFromQuery,
  hasProblems,
  isFiltered,
  logsApiPath,
  logsCsvHref,
  type ActivityFilters,
  type FilterField,
  type FilterProblems,
} from "../history/activity-filters.js";
import { ActivityTable } from "../history/activity-table.js";
import { Pager } from "../history/pager.js";
import { offsetFromQuery } from "../history/paging.js";
import { liveState } from "../live/live-status.js";
import { useStore } from "../live/store.js";
import { navigate, usePath } from "../router.js";
import "../styles/history.css";

const PAGE_SIZE = 50;

export function ActivityPage() {
  const { query } = usePath();
  const search = query.toString();
  const live = useStore(liveState);
  const applied = filtersFromQuery(query);
  const appliedProblems = filterProblems(applied);
  const offset = offsetFromQuery(query);
  const path = hasProblems(appliedProblems)
    ? null
    : logsApiPath(applied, { limit: PAGE_SIZE, offset });
  const results = useApi<{ items: ActivityEntry[]; total: number }>(path, live.runsVersion);

  return (
    <>
      <PageHeader title="Activity log">
        <a class="button" href={logsCsvHref(applied)} download>
          Export CSV
        </a>
      </PageHeader>
      <Card title="Search">
        <SearchForm key={search} applied={applied} appliedProblems={appliedProblems} />
      </Card>
      <Card title="Results" class="results-card">
        <InlineError error={results.error} />
        {path === null && <p class="muted">Fix the search above to see results.</p>}
        {path !== null && !results.data && !results.error && <Loading />}
        {results.data && (
          <p class="muted" aria-live="polite" role="status">
            {plural(results.data.total, "file action")} {isFiltered(applied) ? "found" : "in all"}
          </p>
        )}
        {results.data && results.data.total === 0 && (
          <Empty>
            {isFiltered(applied)
              ? "Nothing matches this search. Try fewer words or a wider date range."
              : "No file actions yet: they appear once photoferry has moved photos."}
          </Empty>
        )}
        {results.data && results.data.items.length > 0 && (
          <ActivityTable entries={results.data.items} showRun />
        )}
        {results.data && (
          <Pager
            total={results.data.total}
            limit={PAGE_SIZE}
            offset={offset}
            noun="file actions"
            href={(next) => activityPagePath(applied, next)}
          />
        )}
      </Card>
    </>
  );
}

const labels: Record<FilterField, string> = {
  user: "User",
  name: "File name or path",
  hash: "Hash",
  from: "From",
  to: "To",
};

/** Remounted (key = the query) when the URL changes, so it always starts from the URL. */
function SearchForm(props: { applied: ActivityFilters; appliedProblems: FilterProblems }) {
  const [draft, setDraft] = useState<ActivityFilters>(props.applied);
  const [problems, setProblems] = useState<FilterProblems>(props.appliedProblems);
  const form = useRef<HTMLFormElement>(null);
  const users = useApi<UserView[]>("/api/users");

  const focusFirstProblem = (found: FilterProblems): void => {
    const first = filterFields.find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#filter-${first}`)?.focus();
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    const found = filterProblems(draft);
    setProblems(found);
    if (hasProblems(found)) focusFirstProblem(found);
    else navigate(activityPagePath(draft));
  };
  const set = (field: FilterField) => (event: Event) => {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    setDraft((current) => ({ ...current, [field]: value }));
  };
  const fieldProps = (field: FilterField) => ({
    id: `filter-${field}`,
    name: field,
    value: draft[field],
    onInput: set(field),
    "aria-invalid": problems[field] ? ("true" as const) : undefined,
    "aria-describedby": problems[field] ? `filter-${field}-problem` : undefined,
  });
  const userIds = new Set((users.data ?? []).map((user) => user.id));
  if (draft.user) userIds.add(draft.user);

  return (
    <form ref={form} class="filters" onSubmit={submit} noValidate>
      <div class="field">
        <label for="filter-user">{labels.user}</label>
        <select {...fieldProps("user")}>
          <option value="">All users</option>
          {[...userIds].sort().map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        {users.error && <span class="small muted">Users could not be listed: {users.error}</span>}
      </div>
      <Field field="name" problem={problems.name}>
        <input type="search" {...fieldProps("name")} placeholder="IMG_0042" autoComplete="off" />
      </Field>
      <Field field="hash" problem={problems.hash}>
        <input
          type="text"
          {...fieldProps("hash")}
          class="mono"
          placeholder="SHA-256 or SHA-1, or its start"
          spellcheck={false}
          autoComplete="off"
        />
      </Field>
      <Field field="from" problem={problems.from}>
        <input type="date" {...fieldProps("from")} />
      </Field>
      <Field field="to" problem={problems.to}>
        <input type="date" {...fieldProps("to")} />
      </Field>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Search
        </button>
        {isFiltered(props.applied) && (
          <a class="button" href="/activity">
            Clear
          </a>
        )}
      </div>
    </form>
  );
}

function Field(props: {
  field: FilterField;
  problem: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={`filter-${props.field}`}>{labels[props.field]}</label>
      {props.children}
      {props.problem && (
        <span id={`filter-${props.field}-problem`} class="field-problem" role="alert">
          {props.problem}
        </span>
      )}
    </div>
  );
}
