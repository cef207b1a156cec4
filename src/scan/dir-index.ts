/**
 * What a reconcile scan remembers of one directory it read. While the directory's mtime and
 * ctime stay the same, its list of entries is the same, so it need not be read again.
 */
export interface DirRecord {
  /** Absolute path, as the scan built it (the resolved root joined with entry names by '/'). */
  path: string;
  /** From `lstat(path, { bigint: true })` taken *before* the directory was read. */
  mtimeNs: bigint;
  /**
   * From the same lstat. Unlike mtime, no program can set ctime, so it also catches entries
   * added by tools that restore a directory's mtime afterwards (`rsync -a`, `cp -a`, `tar x`).
   */
  ctimeNs: bigint;
  /** Names of the real (not symlinked), not ignored subdirectories, sorted. */
  subdirs: string[];
  /**
   * When the directory was read (ms since the epoch, the scan's clock), for the trust rule;
   * 0 (`NEVER_TRUSTED`) when some entries could not be read, so it is read again next time.
   */
  scannedAtMs: number;
}

/**
 * Where a reconcile scan keeps its `DirRecord`s between runs, keyed by `path`. Synchronous so
 * an SQLite table (better-sqlite3) can back it directly.
 */
export interface DirIndex {
  get(path: string): DirRecord | undefined;
  /** Replaces the record with the same `path`. */
  put(record: DirRecord): void;
  /** Removes `path` and every record below it (`path + '/'…`), but not `path + 'x'…`. */
  removeTree(path: string): void;
}

/** A `DirIndex` in memory: for tests, benchmarks and one-shot runs. */
export class MemoryDirIndex implements DirIndex {
  readonly #records = new Map<string, DirRecord>();

  get size(): number {
    return this.#records.size;
  }

  get(path: string): DirRecord | undefined {
    return this.#records.get(path);
  }

  put(record: DirRecord): void {
    this.#records.set(record.path, { ...record, subdirs: [...record.subdirs] });
  }

  removeTree(path: string): void {
    this.#records.delete(path);
    const prefix = path.endsWith("/") ? path : `${path}/`;
    for (const key of this.#records.keys()) {
      if (key.startsWith(prefix)) this.#records.delete(key);
    }
  }

  /** Every recorded path, sorted. */
  paths(): string[] {
    return [...this.#records.keys()].sort();
  }
}
