import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../ledger/journal.js";
import { journalEntry } from "../test-support/journal-entry.js";
import { recordOfRun } from "./run-outcome.js";

const entry = (name: string, state: JournalEntry["state"]): JournalEntry =>
  journalEntry("anna", `InstantUpload/${name}`, { sha256: name, size: 10, state });

describe("recordOfRun", () => {
  it("records the finished files of a transfer a stop cut short, from the journal", () => {
    const record = recordOfRun(
      {
        pass: { dryRun: false, users: [], files: [], batch: null, recovered: [], errors: [] },
        indexing: null,
        commands: [],
        blocked: null,
      },
      {
        importDir: "/import",
        at: 1000,
        interrupted: true,
        batchEntries: () => [entry("a.jpg", "done"), entry("b.jpg", "planned")],
        landedAt: () => null,
        batchesCreated: () => ["b1"],
      },
    );
    expect(record.activity.map((a) => [a.source, a.action, a.destination])).toEqual([
      [
        "/data/anna/files/InstantUpload/a.jpg",
        "transferred",
        "/import/b1/anna/InstantUpload/a.jpg",
      ],
    ]);
    expect(record.counts).toMatchObject({ moved: 1, bytes: 10 });
  });
});
