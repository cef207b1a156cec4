import { describe, expect, it } from "vitest";
import {
  formatBytes,
  judgeFolder,
  judgeFreeSpace,
  judgeImportOwnership,
  judgeSameFileSystem,
  judgeStateDir,
  LOW_SPACE_BYTES,
  type FolderRole,
} from "./folder-checks.js";
import type { FolderFacts } from "./folder-probe.js";

const role: FolderRole = {
  area: "photoprism",
  name: "import dir",
  configKey: "photoprism.importDir",
  accessHint: "give it write access",
};
const who = { uid: 1000, gid: 1000 };
const facts = (over: Partial<FolderFacts> = {}): FolderFacts => ({
  path: "/import",
  statError: null,
  notFolder: false,
  device: 7,
  readError: null,
  ...over,
});

describe("judgeFolder", () => {
  it("passes a readable folder, and says writable only when that was tried", () => {
    expect(judgeFolder(role, facts(), who)).toEqual({
      area: "photoprism",
      name: "import dir",
      status: "ok",
      detail: "/import is readable",
    });
    expect(judgeFolder(role, facts({ writeError: null }), who).detail).toBe(
      "/import is readable and writable",
    );
  });

  it.each([
    ["ENOENT", "/import does not exist", "correct photoprism.importDir"],
    ["ENOTDIR", "a part of /import is a file, not a folder", "correct photoprism.importDir"],
    ["EACCES", "/import cannot be reached: a folder above it refuses entry", "uid 1000"],
    ["ELOOP", "/import cannot be examined (ELOOP)", "check photoprism.importDir"],
  ])("fails when the folder cannot be examined (%s)", (code, detail, fix) => {
    const result = judgeFolder(role, facts({ statError: code, device: null }), who);
    expect(result).toMatchObject({ status: "fail", detail });
    expect(result.fix).toContain(fix);
  });

  it("fails a file where a folder should be, and a folder that cannot be listed", () => {
    expect(judgeFolder(role, facts({ notFolder: true }), who)).toMatchObject({
      status: "fail",
      detail: "/import is a file, not a folder",
    });
    const unreadable = judgeFolder(role, facts({ readError: "EACCES" }), who);
    expect(unreadable).toMatchObject({ status: "fail", detail: "/import cannot be read (EACCES)" });
    expect(unreadable.fix).toBe("photoferry runs as uid 1000: give it write access");
  });

  it.each([
    ["EROFS", "/import is mounted read-only", "remove `:ro`"],
    ["ENOSPC", "/import is full (ENOSPC)", "free some space"],
    ["EPERM", "photoferry cannot create files in /import (EPERM)", "uid 1000"],
    ["EIO", "creating a file in /import failed (EIO)", "give it write access"],
  ])("fails a folder it cannot write in (%s)", (code, detail, fix) => {
    const result = judgeFolder(role, facts({ writeError: code }), who);
    expect(result).toMatchObject({ status: "fail", detail });
    expect(result.fix).toContain(fix);
  });
});

describe("judgeFreeSpace", () => {
  it("warns below 1 GiB and passes above", () => {
    const low = judgeFreeSpace(role, facts({ freeBytes: LOW_SPACE_BYTES - 1 }));
    expect(low).toMatchObject({ status: "warn", detail: "only 1024.0 MiB free in /import" });
    expect(judgeFreeSpace(role, facts({ freeBytes: 5 * LOW_SPACE_BYTES }))).toMatchObject({
      status: "ok",
      detail: "5.0 GiB free",
      name: "import dir free space",
    });
  });

  it("skips when the space was not asked or could not be measured", () => {
    expect(judgeFreeSpace(role, facts()).status).toBe("skip");
    expect(judgeFreeSpace(role, facts({ freeBytes: null })).detail).toBe("could not be measured");
  });
});

describe("judgeSameFileSystem", () => {
  it("tells a rename from a copy", () => {
    expect(judgeSameFileSystem(facts(), facts({ device: 7 }), "delete").detail).toContain(
      "instant rename",
    );
    expect(judgeSameFileSystem(facts(), facts({ device: 7 }), "archive").detail).toContain(
      "with afterMove: archive photos are still copied",
    );
    expect(judgeSameFileSystem(facts(), facts({ device: 8 }), "delete").detail).toContain(
      "every photo is copied",
    );
  });

  it("skips when either device is unknown", () => {
    expect(judgeSameFileSystem(facts(), facts({ device: null }), "keep").status).toBe("skip");
  });
});

describe("judgeStateDir", () => {
  const state: FolderRole = { ...role, area: "state", name: "state dir", configKey: "state.dir" };

  it("accepts a missing state dir whose parent photoferry may write in", () => {
    const missing = facts({ path: "/data/state", statError: "ENOENT", device: null });
    const parent = facts({ path: "/data", writeError: null });
    expect(judgeStateDir(state, missing, parent, who)).toMatchObject({
      status: "ok",
      detail: "/data/state does not exist yet; photoferry will create it",
    });
  });

  it("fails when the parent refuses, naming both", () => {
    const missing = facts({ path: "/data/state", statError: "ENOENT", device: null });
    const parent = facts({ path: "/data", writeError: "EROFS" });
    expect(judgeStateDir(state, missing, parent, who)).toMatchObject({
      status: "fail",
      detail: "/data/state does not exist, and /data is mounted read-only",
    });
  });

  it("judges an existing state dir like any folder", () => {
    expect(judgeStateDir(state, facts({ writeError: "EACCES" }), undefined, who).status).toBe(
      "fail",
    );
  });
});

it("formats sizes in binary units", () => {
  expect(formatBytes(512)).toBe("512 B");
  expect(formatBytes(1536)).toBe("1.5 KiB");
  expect(formatBytes(3 * 1024 ** 4)).toBe("3.0 TiB");
});

describe("judgeImportOwnership", () => {
  it("lets root give files to anyone", () => {
    expect(judgeImportOwnership({ uid: 1000, gid: 1000 }, { uid: 0, gid: 0 }).status).toBe("ok");
  });

  it("fails, naming the fix, when a non-root photoferry would chown to another uid", () => {
    const result = judgeImportOwnership({ uid: 1000, gid: 1000 }, { uid: 33, gid: 33 });
    expect(result.status).toBe("fail");
    expect(result.detail).toContain("runs as uid 33 and cannot give files to uid 1000");
    expect(result.fix).toContain("set photoprism.files.uid to 33");
  });

  it("accepts any of the process's groups, and refuses a group it is not in", () => {
    const who = { uid: 33, gid: 33, groups: [33, 1000] };
    expect(judgeImportOwnership({ uid: 33, gid: 1000 }, who).status).toBe("ok");
    const result = judgeImportOwnership({ uid: 33, gid: 2000 }, who);
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("set photoprism.files.gid to 33");
  });
});
