import { describe, expect, it } from "vitest";
import { StateStoreError, databaseError, stateDirError } from "./state-store-error.js";

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe("stateDirError", () => {
  it("suggests a pasteable chown for permission problems", () => {
    const error = stateDirError("/srv/photo ferry/it's state", coded("EACCES"));
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ reason: "unwritable", code: "EACCES" });
    expect(error.message).toContain("Cannot use the state folder /srv/photo ferry/it's state");
    expect(error.message).toContain("permission denied (EACCES)");
    expect(error.message).toMatch(/chown -R \d+:\d+ '\/srv\/photo ferry\/it'\\''s state'$/);
  });

  it("keeps the original error as the cause and copes with uncoded errors", () => {
    const cause = new Error("weird");
    const error = stateDirError("/state", cause);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain("weird (UNKNOWN)");
  });
});

describe("databaseError", () => {
  it("classifies SQLite codes", () => {
    const cases: [string, string][] = [
      ["SQLITE_NOTADB", "corrupt"],
      ["SQLITE_CORRUPT_INDEX", "corrupt"],
      ["SQLITE_BUSY", "locked"],
      ["SQLITE_FULL", "unwritable"],
      ["SQLITE_READONLY_DIRECTORY", "unwritable"],
      ["SQLITE_CANTOPEN", "unwritable"],
    ];
    for (const [code, reason] of cases) {
      expect(databaseError("/state/photoferry.db", "/state", coded(code))).toMatchObject({
        reason,
        code,
        path: "/state/photoferry.db",
      });
    }
  });

  it("returns undefined for errors without a code, so bugs are not disguised", () => {
    expect(databaseError("/state/photoferry.db", "/state", new TypeError("bug"))).toBeUndefined();
  });
});
