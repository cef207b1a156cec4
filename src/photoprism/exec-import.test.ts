import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import {
  importCommand,
  parseImportLog,
  printedNameMatches,
  readExecImport,
} from "./exec-import.js";
import { parseLogrusLine, unquoteGo } from "./logrus-line.js";

const t = 'time="2021-12-13T20:09:36Z"';
const info = (msg: string): string => `${t} level=info msg=${JSON.stringify(msg)}`;

describe("importCommand", () => {
  it("runs `photoprism import <container dir>/<batch>` as PhotoPrism's user", () => {
    expect(
      importCommand(
        { command: ["photoprism"], user: "1000:1000" },
        "/photoprism/import",
        "photoferry-20240501-101010-abcd",
      ),
    ).toEqual({
      argv: ["photoprism", "import", "/photoprism/import/photoferry-20240501-101010-abcd"],
      user: "1000:1000",
    });
    expect(
      importCommand(
        { command: ["/opt/photoprism/bin/photoprism", "--log-level", "info"], user: "33" },
        "/import/",
        "b1",
      ).argv,
    ).toEqual(["/opt/photoprism/bin/photoprism", "--log-level", "info", "import", "/import/b1"]);
  });

  it("refuses batch names PhotoPrism would skip or that leave the import folder", () => {
    for (const bad of ["", "a/b", "..", ".hidden", "@eaDir", "_.x", "__x"]) {
      expect(() => importCommand({ command: ["photoprism"], user: "1" }, "/import", bad)).toThrow(
        /not a batch folder name/,
      );
    }
    expect(() => importCommand({ command: ["photoprism"], user: "1" }, "import", "b")).toThrow(
      /absolute/,
    );
    expect(() => importCommand({ command: [], user: "1" }, "/import", "b")).toThrow(/empty/);
  });
});

describe("parseLogrusLine", () => {
  it("reads the no-TTY form (issue #1810, verbatim)", () => {
    expect(
      parseLogrusLine(
        'time="2021-12-13T20:09:36Z" level=info msg="import: moving main jpg file DSC_0820.JPG to 2016/11/20161127_133024_EEEEEEEE.jpg"',
      ),
    ).toEqual({
      level: "info",
      message: "import: moving main jpg file DSC_0820.JPG to 2016/11/20161127_133024_EEEEEEEE.jpg",
    });
  });

  it("reads the TTY form, coloured or not", () => {
    expect(parseLogrusLine("INFO[2021-12-13T20:09:36Z] import: already running   ")).toEqual({
      level: "info",
      message: "import: already running",
    });
    expect(parseLogrusLine("\x1b[31mERRO\x1b[0m[0001] index: already running")).toEqual({
      level: "error",
      message: "index: already running",
    });
    expect(parseLogrusLine("WARN[2024-01-01T00:00:00Z] import: x")?.level).toBe("warning");
  });

  it("reads unquoted values and levels, and ignores what is not a log line", () => {
    expect(parseLogrusLine(`${t} level=warning msg=done`)).toEqual({
      level: "warning",
      message: "done",
    });
    expect(parseLogrusLine("Incorrect Usage: flag provided but not defined: -move")).toBeNull();
    expect(parseLogrusLine(`${t} level=loud msg=x`)).toBeNull();
    expect(parseLogrusLine("XXXX[0001] something")).toBeNull();
    expect(parseLogrusLine("")).toBeNull();
  });

  it("undoes Go's quoting", () => {
    expect(unquoteGo(String.raw`"a \"b\" c\\d\n\t\x41\u00e9\U0001F600 \q"`)).toBe(
      'a "b" c\\d\n\tAé😀 \\q',
    );
  });
});

describe("parseImportLog", () => {
  it("reads placements, with quoted names and a site sub-folder", () => {
    const log = parseImportLog(
      [
        `${t} level=info msg="moving media files from /photoprism/import/b1 to /photoprism/originals"`,
        info("import: moving main jpg file DSC_0820.JPG to 2016/11/20161127_133024_EEEEEEEE.jpg"),
        info(
          "import: moving related xmp file 'anna/Camera Roll/IMG 1.jpg.xmp' to 2016/11/20161127_133024_EEEEEEEE.xmp",
        ),
        "INFO[2021-12-13T20:09:36Z] import: moving main heic file anna/IMG_2.HEIC to 'family/2024/05/20240501_101010_ABCD1234.heic'",
        info("import: added main jpg file 2016/01/20160103_183506_353C8F7E.jpg"),
        `${t} level=info msg="completed in 3.2s"`,
      ].join("\n"),
    );
    expect(log.placements).toEqual([
      {
        role: "main",
        fileType: "jpg",
        source: "DSC_0820.JPG",
        destination: "2016/11/20161127_133024_EEEEEEEE.jpg",
      },
      {
        role: "related",
        fileType: "xmp",
        source: "anna/Camera Roll/IMG 1.jpg.xmp",
        destination: "2016/11/20161127_133024_EEEEEEEE.xmp",
      },
      {
        role: "main",
        fileType: "heic",
        source: "anna/IMG_2.HEIC",
        destination: "family/2024/05/20240501_101010_ABCD1234.heic",
      },
    ]);
    expect(log.problems).toEqual([]);
    expect(log.completed).toBe(true);
  });

  it("reads duplicates (issue #1453, verbatim) and deleted duplicates", () => {
    const log = parseImportLog(
      [
        'time="2021-08-01T10:00:00Z" level=info msg="import: Screenshot_2018-09-05-18-49-59.png is identical to 2018/09/20180905_184959_E7DA90C6.png (sha1 a0ae7738ef8268d56844a50045674e033b6e1fc0)"',
        info("import: 2018/09/20180905_184959_E7DA90C6.png already exists"),
        info("import: deleted anna/Screenshot_2018-09-05-18-49-59.png (already exists)"),
      ].join("\n"),
    );
    expect(log.duplicates).toEqual([
      {
        source: "Screenshot_2018-09-05-18-49-59.png",
        existing: "2018/09/20180905_184959_E7DA90C6.png",
        sha1: "a0ae7738ef8268d56844a50045674e033b6e1fc0",
      },
      { source: null, existing: "2018/09/20180905_184959_E7DA90C6.png", sha1: null },
    ]);
    expect(log.deletedDuplicates).toEqual(["anna/Screenshot_2018-09-05-18-49-59.png"]);
    expect(log.problems).toEqual([]);
  });

  it.each([
    [
      'level=error msg="import: notes.txt is unsupported (no main file)"',
      "unsupported",
      "notes.txt",
      false,
    ],
    [
      'level=error msg="import: anna/IMG_1.aae does not belong to a supported media file"',
      "unsupported",
      "anna/IMG_1.aae",
      false,
    ],
    ['level=info msg="import: skipped raw anna/IMG_1.CR2"', "unsupported", "anna/IMG_1.CR2", false],
    [
      'level=error msg="import: failed moving file to 2016/11/20161127_133024_EEEEEEEE.jpg, is another import running at the same time?"',
      "concurrent-import",
      "2016/11/20161127_133024_EEEEEEEE.jpg",
      true,
    ],
    [
      'level=error msg="import: failed to create folder for IMG_1.jpg (mkdir /photoprism/originals/2016: permission denied)"',
      "folder-not-created",
      "IMG_1.jpg",
      false,
    ],
    ['level=warning msg="import: already running"', "busy", null, true],
    ["ERRO[0002] index: already running", "busy", null, true],
    ['level=error msg="not available in read-only mode"', "read-only", null, false],
    [
      'level=error msg="import path is identical with originals"',
      "import-path-is-originals",
      null,
      false,
    ],
    [
      'level=error msg="import: directory /photoprism/import/b1 not found"',
      "folder-not-found",
      "/photoprism/import/b1",
      false,
    ],
    ['level=fatal msg="config: database not connected"', "database", null, true],
    [
      'level=error msg="import: failed main jpg file 2016/11/x.jpg"',
      "index-failed",
      "2016/11/x.jpg",
      false,
    ],
    ['level=error msg="exiftool: something odd"', "error", null, false],
    ["PANI[0003] runtime error: invalid memory address", "error", null, false],
  ] as const)("%s → %s", (line, kind, file, transient) => {
    const log = parseImportLog(
      `${t} ${line}`.replace(`${t} ERRO`, "ERRO").replace(`${t} PANI`, "PANI"),
    );
    expect(log.problems).toHaveLength(1);
    const [problem] = log.problems;
    expect(problem).toMatchObject({ kind, file, transient });
    expect(problem?.hint.length).toBeGreaterThan(10);
  });

  it("keeps other warnings, and ignores debug chatter and garbage", () => {
    const log = parseImportLog(
      [
        `${t} level=warning msg="import: IMG_1.jpg has jpg extension, but is png"`,
        `${t} level=debug msg="import: created IMG_1.json"`,
        "random text",
        "",
      ].join("\n"),
    );
    expect(log.warnings).toEqual(["import: IMG_1.jpg has jpg extension, but is png"]);
    expect(log.problems).toEqual([]);
    expect(log.completed).toBe(false);
  });
});

describe("printedNameMatches", () => {
  it("matches PhotoPrism's lossy names against a path in the batch", () => {
    expect(printedNameMatches("anna/IMG_1.jpg", "anna/IMG_1.jpg")).toBe(true);
    expect(printedNameMatches("IMG_1.jpg", "anna/Camera/IMG_1.jpg")).toBe(true);
    expect(printedNameMatches("anna/a?b?.jpg", "anna/a$b{.jpg")).toBe(true);
    expect(printedNameMatches("anna/it's.jpg", 'anna/it"s.jpg')).toBe(true);
    expect(printedNameMatches('anna/it"s.jpg', "anna/it`s.jpg")).toBe(true);
    expect(printedNameMatches("anna/very_long…", "anna/very_long_name.jpg")).toBe(true);
    expect(printedNameMatches("anna/IMG_1.jpg", "bert/IMG_1.jpg")).toBe(false);
    expect(printedNameMatches("IMG_1.jpg", "anna/IMG_10.jpg")).toBe(false);
  });
});

describe("readExecImport", () => {
  const result = (overrides: Partial<CommandResult>): CommandResult => ({
    exitCode: 0,
    stdout: "",
    stderr: "",
    durationMs: 1_000,
    timedOut: false,
    ...overrides,
  });

  it("treats exit 0 as proving nothing: a busy PhotoPrism still shows up", () => {
    const report = readExecImport(
      result({ stderr: `${t} level=warning msg="import: already running"\n` }),
    );
    expect(report.exitCode).toBe(0);
    expect(report.problems.map((p) => p.kind)).toEqual(["busy"]);
  });

  it("reads log lines from stdout too", () => {
    const report = readExecImport(
      result({ stdout: info("import: moving main jpg file a.jpg to 2024/05/x.jpg") }),
    );
    expect(report.placements).toHaveLength(1);
  });

  it.each([
    [{ timedOut: true, exitCode: null }, /did not finish within 1 s/, true],
    [{ exitCode: null }, /stopped/, true],
    [{ exitCode: 126 }, /could not be run/, false],
    [{ exitCode: 127 }, /not found/, false],
    [{ exitCode: 137 }, /killed/, true],
    [{ exitCode: 2 }, /exit status 2/, false],
  ] as const)("an ending of %o is a problem", (ending, message, transient) => {
    const report = readExecImport(result(ending));
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.message).toMatch(message);
    expect(report.problems[0]?.transient).toBe(transient);
  });

  it("does not report exit 1 twice when a fatal line explains it", () => {
    const report = readExecImport(
      result({ exitCode: 1, stderr: `${t} level=fatal msg="config: database not connected"` }),
    );
    expect(report.problems.map((p) => p.kind)).toEqual(["database"]);
  });
});
