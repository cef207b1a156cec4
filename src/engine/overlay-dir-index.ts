import type { DirIndex, DirRecord } from "../scan/dir-index.js";

/** Reads through to a stored index, keeps every change in memory: a dry run changes nothing. */
export class OverlayDirIndex implements DirIndex {
  private readonly changes = new Map<string, DirRecord | null>();

  constructor(private readonly base: DirIndex) {}

  get(path: string): DirRecord | undefined {
    const changed = this.changes.get(path);
    if (changed === null) return undefined;
    return changed ?? this.base.get(path);
  }

  put(record: DirRecord): void {
    this.changes.set(record.path, record);
  }

  removeTree(path: string): void {
    // Only paths the overlay has seen can be hidden; enough for one pass that reads top-down.
    this.changes.set(path, null);
    for (const key of this.changes.keys())
      if (key.startsWith(`${path}/`)) this.changes.set(key, null);
  }
}
