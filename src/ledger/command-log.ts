import type Database from "better-sqlite3";

export type AppName = "nextcloud" | "photoprism";

/** One attempt of one command (an occ call, a `photoprism import`, an API request). */
export interface CommandRecord {
  app: AppName;
  /** Which step of the chain it served, e.g. "status", "import", "files:scan". */
  step: string;
  batchId: string | null;
  /** Where it ran: "docker container nextcloud", "http://photoprism:2342", … */
  target: string;
  /** The argv as run, or for HTTP the method, path and body. Never holds a secret. */
  argv: string[];
  attempt: number;
  exitCode: number | null;
  timedOut: boolean;
  ok: boolean;
  durationMs: number;
  /** The parser's reading of the output (counts, problems), as JSON-able data. */
  parsed: unknown;
  error: string | null;
  outputTail: string;
  startedAt: number;
}

interface Row {
  id: number;
  app: AppName;
  step: string;
  batch_id: string | null;
  target: string;
  argv: string;
  attempt: number;
  exit_code: number | null;
  timed_out: number;
  ok: number;
  duration_ms: number;
  parsed: string | null;
  error: string | null;
  output_tail: string;
  started_at: number;
}

const fromRow = (row: Row): CommandRecord & { id: number } => ({
  id: row.id,
  app: row.app,
  step: row.step,
  batchId: row.batch_id,
  target: row.target,
  argv: JSON.parse(row.argv) as string[],
  attempt: row.attempt,
  exitCode: row.exit_code,
  timedOut: row.timed_out === 1,
  ok: row.ok === 1,
  durationMs: row.duration_ms,
  parsed: row.parsed === null ? null : (JSON.parse(row.parsed) as unknown),
  error: row.error,
  outputTail: row.output_tail,
  startedAt: row.started_at,
});

/** Keeps the end of the output: that is where occ's summary and PhotoPrism's errors are. */
export function outputTail(stdout: string, stderr: string, maxChars = 8_000): string {
  const half = Math.floor(maxChars / 2);
  const tail = (text: string, limit: number) =>
    text.length > limit ? `…${text.slice(text.length - limit)}` : text;
  const parts: string[] = [];
  if (stdout.trim() !== "") parts.push(tail(stdout, stderr.trim() === "" ? maxChars : half));
  if (stderr.trim() !== "")
    parts.push(`[stderr]\n${tail(stderr, stdout.trim() === "" ? maxChars : half)}`);
  return parts.join("\n");
}

/** Every command photoferry ran, with its result: the history the UI and `--json` show. */
export class CommandLog {
  constructor(private readonly db: Database.Database) {}

  record(entry: CommandRecord): number {
    const result = this.db
      .prepare(
        `INSERT INTO commands (app, step, batch_id, target, argv, attempt, exit_code, timed_out, ok,
           duration_ms, parsed, error, output_tail, started_at)
         VALUES (@app, @step, @batchId, @target, @argv, @attempt, @exitCode, @timedOut, @ok,
           @durationMs, @parsed, @error, @outputTail, @startedAt)`,
      )
      .run({
        ...entry,
        argv: JSON.stringify(entry.argv),
        timedOut: entry.timedOut ? 1 : 0,
        ok: entry.ok ? 1 : 0,
        parsed: entry.parsed === undefined ? null : JSON.stringify(entry.parsed),
      });
    return Number(result.lastInsertRowid);
  }

  forBatch(batchId: string): (CommandRecord & { id: number })[] {
    return this.db
      .prepare<[string], Row>("SELECT * FROM commands WHERE batch_id = ? ORDER BY id")
      .all(batchId)
      .map(fromRow);
  }

  since(startedAt: number): (CommandRecord & { id: number })[] {
    return this.db
      .prepare<[number], Row>("SELECT * FROM commands WHERE started_at >= ? ORDER BY id")
      .all(startedAt)
      .map(fromRow);
  }
}
