import { describe, expect, it } from "vitest";
import { parseFlags, UsageError } from "./cli-args.js";
import { parseGlobal } from "./sim-config.js";

const dest = [{ names: ["dest", "d"], kind: "string" as const }];

describe("parseFlags", () => {
  it("accepts Go flag spellings and reorders command flags after arguments", () => {
    for (const argv of [
      ["-d", "x", "src"],
      ["--dest=x", "src"],
      ["src", "--dest", "x"],
    ]) {
      const parsed = parseFlags(argv, dest, { reorder: true });
      expect(parsed.values.get("dest")).toBe("x");
      expect(parsed.args).toEqual(["src"]);
    }
  });

  it("stops at the first argument for global flags, and at --", () => {
    expect(parseFlags(["import", "-d", "x"], dest, { reorder: false }).args).toEqual([
      "import",
      "-d",
      "x",
    ]);
    expect(parseFlags(["--", "-d"], dest, { reorder: true }).args).toEqual(["-d"]);
  });

  it("rejects unknown flags and a missing value like Go's flag package", () => {
    expect(() => parseFlags(["--move"], dest, { reorder: true })).toThrow(
      new UsageError("flag provided but not defined: -move"),
    );
    expect(() => parseFlags(["-d"], dest, { reorder: true })).toThrow("flag needs an argument: -d");
  });
});

describe("parseGlobal", () => {
  it("uses flags over PHOTOPRISM_* variables over the image defaults", () => {
    const env = { PHOTOPRISM_IMPORT_PATH: "/env/import", PHOTOPRISM_READONLY: "true" };
    const { config, rest } = parseGlobal(["--originals-path", "o", "index"], env, "/cwd");
    expect(config).toMatchObject({
      originalsPath: "/cwd/o",
      importPath: "/env/import",
      storagePath: "/photoprism/storage",
      readOnly: true,
      httpPort: 2342,
      delayPerFileMs: 0,
    });
    expect(rest).toEqual(["index"]);
  });

  it("refuses a delay that is not a whole number", () => {
    expect(() => parseGlobal(["--sim-delay-per-file-ms", "soon"], {}, "/")).toThrow(/whole number/);
  });
});
