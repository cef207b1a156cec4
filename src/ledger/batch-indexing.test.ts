import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/state-store.js";
import { BatchIndexing } from "./batch-indexing.js";
import { Journal } from "./journal.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function open() {
  const dir = mkdtempSync(join(tmpdir(), "batch-indexing-"));
  dirs.push(dir);
  const store = StateStore.open(dir);
  return {
    store,
    journal: new Journal(store.connection),
    indexing: new BatchIndexing(store.connection),
  };
}

describe("BatchIndexing", () => {
  it("lists finished transfers that still need indexing, and follows them to done", () => {
    const { store, journal, indexing } = open();
    journal.createBatch("b1", [], 10);
    journal.createBatch("b2", [], 20);
    expect(indexing.pending()).toEqual([]); // transfers not finished yet
    journal.setBatchState("b1", "done", 30);
    journal.setBatchState("b2", "done", 31);
    expect(indexing.pending().map((p) => [p.batchId, p.state, p.attempts])).toEqual([
      ["b1", "import", 0],
      ["b2", "import", 0],
    ]);

    indexing.fail("b1", "import", "PhotoPrism unreachable", 40);
    indexing.fail("b1", "import", "PhotoPrism unreachable again", 41);
    expect(indexing.pending()[0]).toMatchObject({
      state: "import",
      attempts: 2,
      error: "PhotoPrism unreachable again",
    });

    indexing.advance("b1", "scan", { touched: ["2024/06"] }, 50);
    expect(indexing.pending()[0]).toMatchObject({
      state: "scan",
      attempts: 0,
      error: null,
      result: { touched: ["2024/06"] },
    });
    indexing.fail("b1", "scan", "occ failed", 60);
    expect(indexing.pending()[0]).toMatchObject({ result: { touched: ["2024/06"] }, attempts: 1 });

    indexing.advance("b1", "done", undefined, 70);
    expect(indexing.pending().map((p) => p.batchId)).toEqual(["b2"]);
    store.close();
  });
});
