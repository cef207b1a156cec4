import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/state-store.js";
import { CommandLog, outputTail, type CommandRecord } from "./command-log.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const record = (over: Partial<CommandRecord> = {}): CommandRecord => ({
  app: "nextcloud",
  step: "files:scan",
  batchId: "b1",
  target: "local",
  argv: ["php", "occ", "files:scan", "--path=/my user/files/Photos"],
  attempt: 1,
  exitCode: 0,
  timedOut: false,
  ok: true,
  durationMs: 12,
  parsed: { errors: 0 },
  error: null,
  outputTail: "done",
  startedAt: 1000,
  ...over,
});

describe("CommandLog", () => {
  it("stores commands with their argv intact and reads them back per batch and by time", () => {
    const dir = mkdtempSync(join(tmpdir(), "command-log-"));
    dirs.push(dir);
    const store = StateStore.open(dir);
    const log = new CommandLog(store.connection);
    log.record(record());
    log.record(
      record({ batchId: null, startedAt: 2000, ok: false, exitCode: null, timedOut: true }),
    );
    expect(log.forBatch("b1")).toEqual([expect.objectContaining({ ...record(), id: 1 })]);
    const later = log.since(1500);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ timedOut: true, ok: false, exitCode: null, batchId: null });
    store.close();
  });
});

describe("outputTail", () => {
  it("keeps the end of long output, and labels stderr", () => {
    const tail = outputTail("a".repeat(10_000) + "END", "oops", 100);
    expect(tail.startsWith("…")).toBe(true);
    expect(tail).toContain("END");
    expect(tail).toContain("[stderr]\noops");
    expect(outputTail("", "")).toBe("");
  });
});
