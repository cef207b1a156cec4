import type { JournalEntry } from "../ledger/journal.js";

/**
 * A finished transfer of `<user>/files/<below>` out of `/data`, as the journal records it;
 * `over` changes any field.
 */
export function journalEntry(
  user: string,
  below: string,
  over: Partial<JournalEntry> = {},
): JournalEntry {
  return {
    id: 1,
    batchId: "b1",
    groupKey: `${user}/${below}`,
    userId: user,
    action: "transfer",
    sourcePath: `/data/${user}/files/${below}`,
    stagedRelative: `${user}/${below}`,
    method: "rename",
    afterMove: "archive",
    archivePath: null,
    sha256: below,
    sha1: null,
    size: 1,
    mtimeMs: 0,
    state: "done",
    error: null,
    updatedAt: 0,
    ...over,
  };
}
