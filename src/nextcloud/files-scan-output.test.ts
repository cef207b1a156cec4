import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import { parseFilesScan } from "./files-scan-output.js";

function ran(stdout: string, stderr = "", exitCode: number | null = 0): CommandResult {
  return { stdout, stderr, exitCode, timedOut: false, durationMs: 5 };
}

// NC 28+ (Scan.php with the New/Updated/Removed/Errors counters).
const table7 = (row: string) => `Starting scan for user 1 out of 1 (alice)
+---------+-------+-----+---------+---------+--------+--------------+
| Folders | Files | New | Updated | Removed | Errors | Elapsed time |
+---------+-------+-----+---------+---------+--------+--------------+
${row}
+---------+-------+-----+---------+---------+--------+--------------+
`;
const clean7 = table7("| 3       | 12    | 0   | 12      | 0       | 0      | 00:00:01     |");

// NC ≤ 27, from nextcloud/server#21886.
const table3 = `Starting scan for user 1 out of 1 (alice)
+---------+-------+--------------+
| Folders | Files | Elapsed time |
+---------+-------+--------------+
| 0       | 0     | 00:00:00     |
+---------+-------+--------------+
`;

describe("parseFilesScan: summaries", () => {
  it("reads the NC 28+ table and counts New + Updated as changed", () => {
    const scan = parseFilesScan(ran(clean7));
    expect(scan).toMatchObject({ ok: true, usersScanned: ["alice"], problems: [] });
    expect(scan.summary).toEqual({
      format: "table",
      folders: 3,
      files: 12,
      new: 0,
      updated: 12,
      removed: 0,
      errors: 0,
      elapsed: "00:00:01",
      changed: 12,
    });
  });

  it("splits on | whatever the column widths", () => {
    const wide = `+----------+---------+-------+---------+---------+--------+--------------+
| Folders  | Files   | New   | Updated | Removed | Errors | Elapsed time |
+----------+---------+-------+---------+---------+--------+--------------+
| 1204     | 98765   | 12    | 3       | 40      | 0      | 01:02:03     |
+----------+---------+-------+---------+---------+--------+--------------+
`;
    expect(parseFilesScan(ran(wide)).summary).toMatchObject({
      folders: 1204,
      files: 98765,
      changed: 15,
      removed: 40,
      elapsed: "01:02:03",
    });
  });

  it("reads the old three-column table, where errors are not counted", () => {
    const scan = parseFilesScan(ran(table3));
    expect(scan.ok).toBe(true);
    expect(scan.summary).toEqual({
      format: "legacy-table",
      folders: 0,
      files: 0,
      new: null,
      updated: null,
      removed: null,
      errors: null,
      elapsed: "00:00:00",
      changed: null,
    });
  });

  it("reads NC 35's --output=json array, plain and pretty", () => {
    const json = `Starting scan for user 1 out of 1 (alice)
[{"Folders":3,"Files":12,"New":0,"Updated":12,"Removed":0,"Errors":0,"Elapsed time":"00:00:01"}]
`;
    const scan = parseFilesScan(ran(json));
    expect(scan.ok).toBe(true);
    expect(scan.summary).toMatchObject({ format: "json", files: 12, changed: 12, errors: 0 });
    const pretty = `Starting scan for user 1 out of 1 (alice)\n${JSON.stringify(
      [
        {
          Folders: 1,
          Files: 2,
          New: 1,
          Updated: 1,
          Removed: 0,
          Errors: 1,
          "Elapsed time": "00:00:00",
        },
      ],
      null,
      4,
    )}\n`;
    expect(parseFilesScan(ran(pretty)).summary).toMatchObject({
      format: "json",
      changed: 2,
      errors: 1,
    });
  });

  it("reads the -v listing's users and ignores its file lines", () => {
    const verbose = `Starting scan for user 1 out of 1 (John Doe)
\tFolder\t/John Doe/files/Photos
\tFile\t/John Doe/files/Photos/IMG_0001.jpg

${table7("| 1       | 1     | 0   | 1       | 0       | 0      | 00:00:00     |").split("\n").slice(1).join("\n")}`;
    const scan = parseFilesScan(ran(verbose));
    expect(scan.usersScanned).toEqual(["John Doe"]);
    expect(scan.summary?.files).toBe(1);
    expect(scan.ok).toBe(true);
  });

  it("is not ok without a summary, or with an unreadable one", () => {
    const none = parseFilesScan(ran("Starting scan for user 1 out of 1 (alice)\n"));
    expect(none.ok).toBe(false);
    expect(none.problems.map((p) => p.kind)).toEqual(["no-summary"]);
    const garbled = parseFilesScan(
      ran(table7("| 3       | 12    | 0   | 12      | 0       | x      | 00:00:01     |")),
    );
    expect(garbled.ok).toBe(false);
    expect(garbled.summary).toBeUndefined();
  });
});

describe("parseFilesScan: error lines (exit code 0 throughout)", () => {
  const withErrors = (lines: string, errors: number) =>
    ran(
      `Starting scan for user 1 out of 1 (alice)\n${lines}\n` +
        table7(`| 0       | 0     | 0   | 0       | 0       | ${errors}      | 00:00:00     |`)
          .split("\n")
          .slice(1)
          .join("\n"),
    );

  it.each([
    ["unknown-user", "Unknown user 1 bob", 0],
    ["path-not-found", "Path not found: /alice/files/Photos", 1],
    [
      "path-not-found",
      "Path not found: User folder /var/www/html/data/alice/ exists in cache but not on disk",
      1,
    ],
    [
      "incompatible-encoding",
      '\tEntry "/alice/files/Photos/Cafe\u0301.jpg" will not be accessible due to incompatible encoding',
      1,
    ],
    ["error-during-scan", "Error during scan: Undefined array key 1", 1],
    ["exception-during-scan", "Exception during scan: Invalid path to scan", 1],
    [
      "storage-not-available",
      "Error while scanning, storage not available (Storage is temporarily not available)",
      1,
    ],
    ["already-scanning", "Another process is already scanning '/alice/files/Photos'", 0],
    ["interrupted", "Interrupted by user", 0],
  ] as const)("reports %s", (kind, line, errors) => {
    const scan = parseFilesScan(withErrors(line, errors));
    expect(scan.ok).toBe(false);
    expect(scan.problems.map((p) => p.kind)).toEqual([kind]);
    expect(scan.problems[0]?.lines).toEqual([line.trim()]);
    expect(scan.problems[0]?.hint.length).toBeGreaterThan(10);
  });

  it("groups the three lines of an unwritable home into one problem", () => {
    const lines = `Home storage for user alice not writable or 'files' subdirectory missing
  User folder /var/www/html/data/alice/ is not writable, folders is owned by root and has mode 40755
Make sure you're running the scan command only as the user the web server runs as`;
    const scan = parseFilesScan(withErrors(lines, 1));
    expect(scan.ok).toBe(false);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]).toMatchObject({ kind: "home-not-writable", count: 3 });
    expect(scan.problems[0]?.hint).toContain("chown");
  });

  it("counts repeated lines, keeping only the first few", () => {
    const lines = Array.from(
      { length: 8 },
      (_, i) =>
        `\tEntry "/alice/files/P/${i}.jpg" will not be accessible due to incompatible encoding`,
    ).join("\n");
    const problem = parseFilesScan(withErrors(lines, 8)).problems[0];
    expect(problem).toMatchObject({ kind: "incompatible-encoding", count: 8 });
    expect(problem?.lines).toHaveLength(5);
  });

  it("is not ok when Errors > 0 even without a known line", () => {
    const scan = parseFilesScan(withErrors("", 2));
    expect(scan.ok).toBe(false);
    expect(scan.problems).toMatchObject([{ kind: "errors-counted", count: 2 }]);
  });

  it("reads the missing-target message (exit 1)", () => {
    const scan = parseFilesScan(
      ran("Please specify the user id to scan, --all to scan for all users or --path=...\n", "", 1),
    );
    expect(scan.ok).toBe(false);
    expect(scan.problems.map((p) => p.kind)).toContain("no-target");
  });
});

describe("parseFilesScan: occ failures", () => {
  it("reports maintenance mode from stderr, not a missing command", () => {
    const scan = parseFilesScan(
      ran(
        "",
        `Nextcloud is in maintenance mode. Only a limited number of commands are available.\n\n  Command "files:scan" is not defined.\n`,
        1,
      ),
    );
    expect(scan.ok).toBe(false);
    expect(scan.failure?.kind).toBe("maintenance-mode");
    expect(scan.problems[0]?.kind).toBe("maintenance-mode");
  });

  it("reports the wrong user", () => {
    const scan = parseFilesScan(
      ran(
        "Console has to be executed with the user that owns the file config/config.php\nCurrent user id: 0\nOwner id of config.php: 33\n",
        "",
        1,
      ),
    );
    expect(scan.failure).toMatchObject({ kind: "wrong-user", requiredUser: "33" });
  });

  it("is not ok when occ exits non-zero after a clean-looking table", () => {
    const scan = parseFilesScan(ran(clean7, "", 255));
    expect(scan.ok).toBe(false);
    expect(scan.failure?.kind).toBe("command-failed");
  });
});
