import type Database from "better-sqlite3";

/**
 * Where a transferred batch stands in the indexing chain: `import` (PhotoPrism still has to
 * import it), `scan` (imported and verified; Nextcloud's scans and Memories still to run),
 * `done`. A batch whose transfer is finished but has no row yet is at `import`.
 */
export type IndexingState = "import" | "scan" | "done";

export interface BatchIndexingRow {
  batchId: string;
  state: IndexingState;
  /** Failed attempts at the current state; reset when the state advances. */
  attempts: number;
  /** What the import step learnt (JSON), kept for the scan step across restarts. */
  result: unknown;
  error: string | null;
  updatedAt: number;
}

interface Row {
  batch_id: string;
  state: IndexingState | null;
  attempts: number | null;
  result: string | null;
  error: string | null;
  updated_at: number;
}

export class BatchIndexing {
  constructor(private readonly db: Database.Database) {}

  /** Batches whose transfer finished and whose indexing did not, oldest first. */
  pending(): BatchIndexingRow[] {
    return this.db
      .prepare<[], Row>(
        `SELECT b.id AS batch_id, i.state, i.attempts, i.result, i.error,
                COALESCE(i.updated_at, b.updated_at) AS updated_at
         FROM batches b LEFT JOIN batch_indexing i ON i.batch_id = b.id
         WHERE b.state = 'done' AND (i.state IS NULL OR i.state != 'done')
         ORDER BY b.created_at, b.id`,
      )
      .all()
      .map((row) => ({
        batchId: row.batch_id,
        state: row.state ?? "import",
        attempts: row.attempts ?? 0,
        result: row.result === null ? null : (JSON.parse(row.result) as unknown),
        error: row.error,
        updatedAt: row.updated_at,
      }));
  }

  advance(batchId: string, state: IndexingState, result: unknown, now: number): void {
    this.db
      .prepare(
        `INSERT INTO batch_indexing (batch_id, state, attempts, result, error, updated_at)
         VALUES (@batchId, @state, 0, @result, NULL, @now)
         ON CONFLICT (batch_id) DO UPDATE SET state = excluded.state, attempts = 0,
           result = COALESCE(excluded.result, batch_indexing.result), error = NULL,
           updated_at = excluded.updated_at`,
      )
      .run({
        batchId,
        state,
        result: result === undefined ? null : JSON.stringify(result),
        now,
      });
  }

  /** Records a failed attempt; the batch stays where it is and the next pass tries again. */
  fail(batchId: string, state: IndexingState, error: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO batch_indexing (batch_id, state, attempts, result, error, updated_at)
         VALUES (@batchId, @state, 1, NULL, @error, @now)
         ON CONFLICT (batch_id) DO UPDATE SET attempts = batch_indexing.attempts + 1,
           error = excluded.error, updated_at = excluded.updated_at`,
      )
      .run({ batchId, state, error, now });
  }
}
