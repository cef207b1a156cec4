import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import { parseMemoriesHelp, parseMemoriesIndex } from "./memories-output.js";

function ran(stdout: string, stderr = "", exitCode: number | null = 0): CommandResult {
  return { stdout, stderr, exitCode, timedOut: false, durationMs: 5 };
}

// Without a TTY every progress line stays (ConsoleSectionOutput::clear does nothing).
const clean = `Indexing user alice
Indexing folder /alice/files/InstantUpload/Camera
Indexing file /alice/files/InstantUpload/Camera/IMG_0001.jpg
Indexing file /alice/files/InstantUpload/Camera/IMG_0002.heic
Skipping folder /alice/files/InstantUpload/Camera/.thumbs (.nomedia / .nomemories)
Indexing folder /alice/files/InstantUpload/Camera/2024
Cleaning up stale index entries
`;

describe("parseMemoriesIndex", () => {
  it("counts progress lines of a clean run", () => {
    expect(parseMemoriesIndex(ran(clean))).toEqual({
      ok: true,
      progress: { users: 1, folders: 2, files: 2, skippedFolders: 1 },
      failedFiles: [],
      skippedFailedFiles: 0,
      problems: [],
    });
  });

  it("lists files that failed, with the reason (exit 0)", () => {
    const result = parseMemoriesIndex(
      ran(
        `${clean}Failed to index file /alice/files/InstantUpload/Camera/bad.jpg: Invalid EXIF data\n`,
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.failedFiles).toEqual([
      { path: "/alice/files/InstantUpload/Camera/bad.jpg", reason: "Invalid EXIF data" },
    ]);
    expect(result.problems[0]).toMatchObject({ kind: "failed-file", count: 1 });
  });

  it.each([
    ["failed-folder", "Failed to index folder /alice/files/X: Permission denied"],
    ["user-not-found", "User bob not found"],
    ["group-not-found", "Group family not found"],
    ["path-missing", "The specified folder InstantUpload/Gone does not exist for alice"],
  ] as const)("fails on %s", (kind, line) => {
    const result = parseMemoriesIndex(ran(`${line}\n`));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.kind)).toEqual([kind]);
  });

  it("keeps skipped and locked files as warnings", () => {
    const result = parseMemoriesIndex(
      ran(
        `${clean}Skipping file /alice/files/InstantUpload/Camera/x.jpg due to lock\nIndexing skipped for 3 failed files, use --retry to try again\n`,
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.skippedFailedFiles).toBe(3);
    expect(result.problems.map((p) => p.kind)).toEqual([
      "skipped-locked-file",
      "skipped-failed-files",
    ]);
  });

  it("reports exiftool trouble (exit 1) with a hint", () => {
    const result = parseMemoriesIndex(ran("", "Failed to run exiftool: perl not found\n", 1));
    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe("command-failed");
    expect(result.problems[0]?.kind).toBe("exiftool");
    expect(result.problems[0]?.hint).toContain("Memories' admin settings");
  });

  it("reports maintenance mode and a missing Memories", () => {
    const maintenance = parseMemoriesIndex(
      ran(
        "",
        `Nextcloud is in maintenance mode, no apps are loaded.\nCommands provided by apps are unavailable.\n\n  There are no commands defined in the "memories" namespace.\n`,
        1,
      ),
    );
    expect(maintenance.failure?.kind).toBe("maintenance-mode");
    const missing = parseMemoriesIndex(
      ran("", `\n  There are no commands defined in the "memories" namespace.\n`, 1),
    );
    expect(missing.failure?.kind).toBe("namespace-not-defined");
    expect(missing.ok).toBe(false);
  });

  it("reports an old Memories refusing --path", () => {
    const result = parseMemoriesIndex(ran("", `\n  The "--path" option does not exist.\n`, 1));
    expect(result.failure?.kind).toBe("unknown-option");
  });
});

const helpNew = `Description:
  Index the metadata in files

Usage:
  memories:index [options]

Options:
  -u, --user=USER       Index only the specified user
  -g, --group=GROUP     Index only specified group
      --path=PATH       Index only the specified folder or file (relative to the user's root)
  -f, --force           Force refresh of existing index entries
      --clear           Clear all existing index entries
      --retry           Retry indexing of failed files
      --skip-cleanup    Skip cleanup step (removing index entries with missing files)
  -h, --help            Display help for the given command. When no command is given display help for the list command
`;

const helpOld = helpNew.replace(
  "      --path=PATH       Index only the specified folder or file (relative to the user's root)",
  "      --folder=FOLDER   Index only the specified folder (relative to the user's root)",
);

describe("parseMemoriesHelp", () => {
  it("detects --path (Memories ≥ 7.6.1) and --folder (older)", () => {
    expect(parseMemoriesHelp(ran(helpNew))).toEqual({
      ok: true,
      installed: true,
      flavour: "path",
      problems: [],
    });
    expect(parseMemoriesHelp(ran(helpOld)).flavour).toBe("folder");
  });

  it("is not fooled by --path inside a description", () => {
    const tricky = helpOld.replace(
      "Index only specified group",
      "Index only specified group (see --path=X)",
    );
    expect(parseMemoriesHelp(ran(tricky)).flavour).toBe("folder");
  });

  it("says Memories is not installed when its namespace is missing", () => {
    const result = parseMemoriesHelp(
      ran("", `\n  There are no commands defined in the "memories" namespace.\n`, 1),
    );
    expect(result).toMatchObject({ ok: false, installed: false });
    expect(result.problems[0]?.hint).toContain("app:enable memories");
  });

  it("cannot tell in maintenance mode", () => {
    const result = parseMemoriesHelp(
      ran(
        "",
        `Nextcloud is in maintenance mode. Only a limited number of commands are available.\n\n  There are no commands defined in the "memories" namespace.\n`,
        1,
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.installed).toBeUndefined();
    expect(result.failure?.kind).toBe("maintenance-mode");
  });

  it("reports help without either option", () => {
    const result = parseMemoriesHelp(ran("Usage:\n  memories:index [options]\n"));
    expect(result).toMatchObject({ ok: false, installed: true });
    expect(result.problems[0]?.kind).toBe("unknown-flavour");
  });

  it("reads messages that Memories ran together without line ends (no terminal)", () => {
    const parsed = parseMemoriesIndex({
      exitCode: 0,
      stdout:
        "Indexing user alice\nIndexing folder /alice/files/PhotosIndexing file /alice/files/Photos/a.jpg" +
        "Failed to index file /alice/files/Photos/a.jpg: exiftool crashed\n" +
        "Indexing file /alice/files/Photos/b.jpgCleaning up stale index entries",
      stderr: "",
      durationMs: 1,
      timedOut: false,
    });
    expect(parsed.ok).toBe(false);
    expect(parsed.progress).toMatchObject({ users: 1, folders: 1, files: 2 });
    expect(parsed.failedFiles).toEqual([
      { path: "/alice/files/Photos/a.jpg", reason: "exiftool crashed" },
    ]);
  });
});
