import { describe, expect, it } from "vitest";
import { commandLine, outputSummary, shellWord } from "./command-line.js";

describe("commandLine", () => {
  it("leaves plain words bare", () => {
    expect(commandLine(["php", "occ", "files:scan", "--path=/anna/files"])).toBe(
      "php occ files:scan --path=/anna/files",
    );
  });

  it("quotes words with spaces and escapes single quotes inside them", () => {
    expect(commandLine(["occ", "files:scan", "o'brien jr"])).toBe(
      `occ files:scan 'o'\\''brien jr'`,
    );
  });

  it("shows an empty argument as '' so it is not lost", () => {
    expect(commandLine(["photoprism", "", "import"])).toBe("photoprism '' import");
  });

  it("quotes shell metacharacters", () => {
    expect(shellWord("$(rm -rf /)")).toBe("'$(rm -rf /)'");
    expect(shellWord("a;b")).toBe("'a;b'");
    expect(shellWord("*.jpg")).toBe("'*.jpg'");
  });

  it("gives an empty line for no argv", () => {
    expect(commandLine([])).toBe("");
  });
});

describe("outputSummary", () => {
  it("counts lines without the trailing newline", () => {
    expect(outputSummary("one\ntwo\n")).toEqual({ lines: 2, empty: false, truncated: false });
  });

  it("calls whitespace-only output empty", () => {
    expect(outputSummary(" \n\n")).toEqual({ lines: 0, empty: true, truncated: false });
  });

  it("notices the server's mark for a cut-off start, in stdout or stderr", () => {
    expect(outputSummary("…end of it\n").truncated).toBe(true);
    expect(outputSummary("all of stdout\n[stderr]\n…end of stderr").truncated).toBe(true);
    expect(outputSummary("done … really").truncated).toBe(false);
  });
});
