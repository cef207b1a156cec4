import { describe, expect, it } from "vitest";
import type { ActivityEntry } from "../service/service-contract.js";
import { activityCsv, csvCell } from "./activity-csv.js";

const entry = (id: number, source = `/u/files/${id}.jpg`): ActivityEntry => ({
  id,
  runId: 7,
  at: "2024-05-01T10:00:00Z",
  userId: "o'brien smith",
  action: "duplicate",
  source,
  destination: null,
  sha256: null,
  sha1: "da39a3ee",
  size: 0,
  reason: "already in PhotoPrism",
});

describe("csvCell", () => {
  it("quotes only what needs quoting", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("a\rb")).toBe('"a\rb"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(0)).toBe("0");
  });

  it("keeps spreadsheets from running a cell as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvCell(`${start}SUM(A1)`)).toMatch(/^"?'/);
    }
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell('@cmd,"x"')).toBe(`"'@cmd,""x"""`);
    expect(csvCell("photo=1.jpg")).toBe("photo=1.jpg");
  });
});

describe("activityCsv", () => {
  it("pages until a short page and never writes an entry twice", () => {
    // Entries arrive newest first while the export runs: the second page repeats two rows.
    const pages = [[entry(5), entry(4), entry(3)], [entry(3), entry(2), entry(1)], [entry(0)]];
    const asked: { limit: number; offset: number }[] = [];
    const text = [
      ...activityCsv((page) => {
        asked.push(page);
        return { items: pages[asked.length - 1] ?? [] };
      }, 3),
    ].join("");
    const lines = text.split("\r\n").slice(0, -1);
    expect(lines[0]).toBe("id,runId,at,userId,action,source,destination,sha256,sha1,size,reason");
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual([
      "5",
      "4",
      "3",
      "2",
      "1",
      "0",
    ]);
    expect(lines[1]).toBe(
      "5,7,2024-05-01T10:00:00Z,o'brien smith,duplicate,/u/files/5.jpg,,,da39a3ee,0,already in PhotoPrism",
    );
    expect(asked).toEqual([
      { limit: 3, offset: 0 },
      { limit: 3, offset: 3 },
      { limit: 3, offset: 6 },
    ]);
  });

  it("writes the header alone for an empty log", () => {
    expect([...activityCsv(() => ({ items: [] }))]).toEqual([
      "id,runId,at,userId,action,source,destination,sha256,sha1,size,reason\r\n",
    ]);
  });
});
