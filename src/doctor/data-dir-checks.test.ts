import { describe, expect, it } from "vitest";
import type { UserListing } from "../discovery/user-directory.js";
import { selectUsers } from "../discovery/user-selection.js";
import {
  judgeDataDirMarker,
  judgeSourceFolders,
  judgeUserFilesWritable,
  judgeUsers,
} from "./data-dir-checks.js";

const listing = (ids: string[], over: Partial<UserListing> = {}): UserListing => ({
  users: ids.map((id) => ({ id, filesDir: `/data/${id}/files` })),
  skipped: [],
  hasDataDirMarker: true,
  ...over,
});
const rules = (include: string[], exclude: string[] = []) => ({
  include,
  exclude,
  autoIncludeNew: true,
});
const select = (ids: string[], include = ["*"], exclude: string[] = []) =>
  selectUsers(ids, rules(include, exclude), new Set(), false);

describe("judgeDataDirMarker", () => {
  it("warns when the folder lacks Nextcloud's marker", () => {
    expect(judgeDataDirMarker("/data", listing([])).status).toBe("ok");
    const missing = judgeDataDirMarker("/data", listing([], { hasDataDirMarker: false }));
    expect(missing.status).toBe("warn");
    expect(missing.fix).toContain("nextcloud.dataDir");
  });
});

describe("judgeUsers", () => {
  it("lists who is included and why the others are not", () => {
    const ids = ["alice", "bob", "guest1"];
    const result = judgeUsers("/data", listing(ids), select(ids, ["*"], ["guest*"]));
    expect(result).toMatchObject({
      status: "ok",
      detail: "3 found; included: alice, bob; not included: guest1 (excluded by pattern 'guest*')",
    });
  });

  it("warns when there are no users, or nobody is included", () => {
    const none = judgeUsers("/data", listing([]), []);
    expect(none).toMatchObject({ status: "warn" });
    expect(none.detail).toContain("no user folders");
    const nobody = judgeUsers("/data", listing(["alice"]), select(["alice"], ["bob"]));
    expect(nobody).toMatchObject({ status: "warn" });
    expect(nobody.fix).toContain("nextcloud.users.include");
  });

  it("warns about user folders it cannot read", () => {
    const skipped = [{ name: "carol", reason: "it cannot be read: permission denied (EACCES)" }];
    const result = judgeUsers("/data", listing(["alice"], { skipped }), select(["alice"]));
    expect(result.status).toBe("warn");
    expect(result.detail).toContain("cannot read carol (it cannot be read");
  });

  it("does not mention folders skipped for being something else", () => {
    const skipped = [{ name: "notes.txt", reason: "it is not a folder" }];
    expect(judgeUsers("/data", listing(["a"], { skipped }), select(["a"])).status).toBe("ok");
  });
});

describe("judgeSourceFolders", () => {
  it("warns about missing folders, fails unreadable ones", () => {
    expect(
      judgeSourceFolders([
        { user: "a", folder: "Photos", problem: null },
        { user: "a", folder: "InstantUpload", problem: "ENOENT" },
      ]),
    ).toMatchObject({ status: "warn", detail: "1 of 2 present; missing: a/files/InstantUpload" });
    expect(
      judgeSourceFolders([
        { user: "a", folder: "Photos", problem: "EACCES" },
        { user: "b", folder: "Photos", problem: "ENOENT" },
      ]),
    ).toMatchObject({ status: "fail", detail: "cannot be read: a/files/Photos (EACCES)" });
  });

  it("passes when all are there and skips without users", () => {
    expect(judgeSourceFolders([{ user: "a", folder: "P", problem: null }]).status).toBe("ok");
    expect(judgeSourceFolders([]).status).toBe("skip");
  });
});

describe("judgeUserFilesWritable", () => {
  it("needs write access only when files leave the users' folders", () => {
    const refused = [{ user: "a", writeError: "EACCES" }];
    expect(judgeUserFilesWritable("keep", refused, "33").status).toBe("skip");
    const result = judgeUserFilesWritable("delete", refused, "33");
    expect(result).toMatchObject({
      status: "fail",
      detail: "cannot create files in a/files (EACCES)",
    });
    expect(result.fix).toContain("run photoferry as Nextcloud's user (33");
    expect(judgeUserFilesWritable("archive", [{ user: "a", writeError: null }], "33").status).toBe(
      "ok",
    );
  });

  it("names a read-only mount as such", () => {
    const result = judgeUserFilesWritable("archive", [{ user: "a", writeError: "EROFS" }], "33");
    expect(result.fix).toContain("read-write");
  });
});
