import { describe, expect, it } from "vitest";
import { latestVersion, migrations, validateMigrations } from "./migrations.js";

describe("migrations", () => {
  it("the built-in list has strictly increasing versions starting at 1", () => {
    expect(() => validateMigrations(migrations)).not.toThrow();
    expect(migrations[0]?.version).toBe(1);
    expect(migrations[0]?.name).toBe("app_meta");
  });

  it("rejects versions that repeat or go backwards", () => {
    const repeat = [
      { version: 1, name: "a", sql: "" },
      { version: 1, name: "b", sql: "" },
    ];
    expect(() => validateMigrations(repeat)).toThrow(/strictly increase: 1 \("b"\) comes after 1/);
    const backwards = [
      { version: 2, name: "a", sql: "" },
      { version: 1, name: "b", sql: "" },
    ];
    expect(() => validateMigrations(backwards)).toThrow(/strictly increase/);
  });

  it("rejects non-integer, zero or negative versions and blank names", () => {
    expect(() => validateMigrations([{ version: 1.5, name: "a", sql: "" }])).toThrow(/integers/);
    expect(() => validateMigrations([{ version: 0, name: "a", sql: "" }])).toThrow(/integers/);
    expect(() => validateMigrations([{ version: 1, name: " ", sql: "" }])).toThrow(/no name/);
  });

  it("latestVersion is the last version, or 0 for none", () => {
    expect(latestVersion([])).toBe(0);
    expect(latestVersion(migrations)).toBe(migrations.at(-1)?.version);
  });
});
