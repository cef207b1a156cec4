import { posix } from "node:path";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { listNextcloudUsers } from "../discovery/user-directory.js";
import { selectUsers, type SelectedUser } from "../discovery/user-selection.js";
import { KnownUsers } from "../ledger/known-users.js";
import type { StateStore } from "../state/state-store.js";
import type { QueueView } from "./service-contract.js";

/** Who the next pass would sync, without recording anything (the pass records). */
export async function discoverUsers(
  config: PhotoferryConfig,
  store: StateStore,
): Promise<SelectedUser[]> {
  const listing = await listNextcloudUsers(config.nextcloud.dataDir);
  const known = new KnownUsers(store.connection);
  return selectUsers(
    listing.users.map((user) => user.id),
    config.nextcloud.users,
    known.all(),
    known.hasDiscovered(),
  );
}

/** The source folders of the included users, as the watcher takes them. */
export function sourceRoots(config: PhotoferryConfig, users: readonly SelectedUser[]): string[] {
  return users
    .filter((user) => user.included)
    .flatMap((user) =>
      config.nextcloud.sourceFolders.map((folder) =>
        posix.join(config.nextcloud.dataDir, user.id, "files", folder),
      ),
    );
}

interface SourceRow {
  path: string;
  user_id: string;
  status: string;
  reason: string | null;
  settle_since: number;
}

const MAX_QUEUE_FILES = 1_000;

/** Files photoferry knows and has not finished: waiting, settling, in flight, failed, quarantined. */
export function unfinishedFiles(
  store: StateStore,
  settleMs: number,
  now: number,
): QueueView["files"] {
  const db = store.connection;
  // The journal knows each file in flight and its user, even one the ledger has no row for.
  const flying = db
    .prepare<[], { source_path: string; user_id: string }>(
      `SELECT j.source_path, j.user_id FROM journal j JOIN batches b ON b.id = j.batch_id
       WHERE b.state != 'done' AND j.state NOT IN ('done', 'failed')`,
    )
    .all();
  const inFlight = new Set(flying.map((row) => row.source_path));
  const rows = db
    .prepare<[number], SourceRow>(
      `SELECT path, user_id, status, reason, settle_since FROM source_files
       WHERE status IN ('pending', 'failed', 'quarantined') ORDER BY updated_at DESC LIMIT ?`,
    )
    .all(MAX_QUEUE_FILES);
  const files: QueueView["files"] = rows.map((row) => ({
    userId: row.user_id,
    path: row.path,
    state: inFlight.has(row.path)
      ? "in-flight"
      : row.status === "failed"
        ? "failed"
        : row.status === "quarantined"
          ? "quarantined"
          : now - row.settle_since < settleMs
            ? "settling"
            : "waiting",
    reason: row.reason,
  }));
  const listed = new Set(files.map((file) => file.path));
  for (const row of flying) {
    if (!listed.has(row.source_path) && files.length < MAX_QUEUE_FILES)
      files.push({ userId: row.user_id, path: row.source_path, state: "in-flight", reason: null });
  }
  return files;
}
