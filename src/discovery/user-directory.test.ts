import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscoveryError } from "./discovery-error.js";
import { listNextcloudUsers, nodeUserDirectoryFs, type UserDirectoryFs } from "./user-directory.js";

const nfc = "jürgen".normalize("NFC");
const nfd = "jürgen".normalize("NFD");
const userIds = ["admin", "anna maria", "bob@example.com", "o'brien", nfc, nfd, "a.b-c_d"];

let root: string;
let dataDir: string;

function user(id: string): void {
  mkdirSync(join(dataDir, id, "files", "InstantUpload"), { recursive: true });
}

function coded(code: string, message = `${code}: simulated`): Error {
  return Object.assign(new Error(message), { code });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "photoferry-discovery-"));
  dataDir = join(root, "data");
  mkdirSync(dataDir);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("listNextcloudUsers on a real data directory", () => {
  it("finds users with a files/ folder, ids exactly as on disk, sorted", async () => {
    for (const id of userIds) user(id);
    const { users, skipped, hasDataDirMarker } = await listNextcloudUsers(dataDir);
    // Code-unit order: NFD's plain "u" sorts before NFC's "ü".
    const sorted = ["a.b-c_d", "admin", "anna maria", "bob@example.com", nfd, nfc, "o'brien"];
    expect(users).toEqual(sorted.map((id) => ({ id, filesDir: join(dataDir, id, "files") })));
    expect(skipped).toEqual([]);
    expect(hasDataDirMarker).toBe(false);
  });

  it("ignores Nextcloud's own entries without reporting them, even when they hold files/", async () => {
    user("admin");
    for (const dir of [
      "appdata_oc1x2y3z",
      "__groupfolders",
      "files_external",
      "updater-oc1x2y3z",
    ]) {
      mkdirSync(join(dataDir, dir, "files"), { recursive: true });
    }
    mkdirSync(join(dataDir, "lost+found"));
    mkdirSync(join(dataDir, ".trash", "files"), { recursive: true });
    const files = [".ocdata", ".htaccess", "index.html", "nextcloud.log", "nextcloud.log.1"];
    for (const name of [...files, "audit.log", "flow.log"]) writeFileSync(join(dataDir, name), "");
    const listing = await listNextcloudUsers(dataDir);
    expect(listing).toEqual({
      users: [{ id: "admin", filesDir: join(dataDir, "admin", "files") }],
      skipped: [],
      hasDataDirMarker: true,
    });
  });

  it("skips, with reasons, what looks like a user but is not one", async () => {
    user("admin");
    mkdirSync(join(dataDir, "no files"));
    writeFileSync(join(dataDir, "carol"), "a regular file named like a user");
    mkdirSync(join(dataDir, "dave"));
    writeFileSync(join(dataDir, "dave", "files"), "files/ is a regular file");
    symlinkSync(join(dataDir, "admin"), join(dataDir, "linked user"));
    const outside = join(root, "outside");
    mkdirSync(outside);
    mkdirSync(join(dataDir, "erin"));
    symlinkSync(outside, join(dataDir, "erin", "files"));
    symlinkSync(join(root, "nowhere"), join(dataDir, "dangling"));

    const { users, skipped } = await listNextcloudUsers(dataDir);
    expect(users.map((u) => u.id)).toEqual(["admin"]);
    expect(skipped).toEqual([
      { name: "carol", reason: "it is not a folder" },
      {
        name: "dangling",
        reason: "it is a symbolic link; photoferry never follows symbolic links",
      },
      { name: "dave", reason: "its files/ is not a folder" },
      {
        name: "erin",
        reason: "its files/ is a symbolic link; photoferry never follows symbolic links",
      },
      {
        name: "linked user",
        reason: "it is a symbolic link; photoferry never follows symbolic links",
      },
      { name: "no files", reason: "it has no files/ folder" },
    ]);
  });

  it("skips a folder whose name is not valid UTF-8", async () => {
    user("admin");
    const latin1Name = Buffer.from([0x6a, 0xfc, 0x72, 0x67, 0x65, 0x6e]); // "jürgen" in Latin-1
    mkdirSync(Buffer.concat([Buffer.from(`${dataDir}/`), latin1Name]));
    mkdirSync(Buffer.concat([Buffer.from(`${dataDir}/`), latin1Name, Buffer.from("/files")]));
    const { users, skipped } = await listNextcloudUsers(dataDir);
    expect(users.map((u) => u.id)).toEqual(["admin"]);
    expect(skipped).toEqual([
      { name: "j\uFFFDrgen", reason: "the folder name is not valid UTF-8" },
    ]);
  });

  it("reads through a data directory that is itself a symlink (it is the configured root)", async () => {
    user("admin");
    const link = join(root, "data-link");
    symlinkSync(dataDir, link);
    const { users } = await listNextcloudUsers(link);
    expect(users).toEqual([{ id: "admin", filesDir: join(link, "admin", "files") }]);
  });

  it("throws a DiscoveryError naming the path and the fix when dataDir is missing", async () => {
    const missing = join(root, "no such dir");
    const error: unknown = await listNextcloudUsers(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error).toMatchObject({ path: missing, code: "ENOENT", name: "DiscoveryError" });
    expect((error as DiscoveryError).message).toBe(
      `Cannot list the Nextcloud data directory ${missing}: it does not exist (ENOENT). ` +
        "Fix: check `nextcloud.dataDir` and that photoferry can read it " +
        "(Nextcloud's files are owned by uid 33)",
    );
  });

  it("throws a DiscoveryError when dataDir is a file", async () => {
    const file = join(root, "file");
    writeFileSync(file, "");
    await expect(listNextcloudUsers(file)).rejects.toMatchObject({
      code: "ENOTDIR",
      message: expect.stringContaining(`${file}: it is not a folder (ENOTDIR)`) as unknown,
    });
  });
});

describe("listNextcloudUsers with unreadable entries", () => {
  function failing(failures: Record<string, Error>): UserDirectoryFs {
    return {
      readdir: async (path) => {
        const failure = failures[path];
        if (failure) throw failure;
        return nodeUserDirectoryFs.readdir(path);
      },
      lstat: async (path) => {
        const failure = failures[path];
        if (failure) throw failure;
        return nodeUserDirectoryFs.lstat(path);
      },
    };
  }

  it("skips a user folder it may not enter, and still lists the others", async () => {
    for (const id of ["admin", "bob@example.com", "o'brien"]) user(id);
    const fs = failing({
      [join(dataDir, "bob@example.com", "files")]: coded("EACCES"),
      [join(dataDir, "o'brien", "files")]: coded("EIO", "EIO: i/o error, lstat"),
    });
    const { users, skipped } = await listNextcloudUsers(dataDir, fs);
    expect(users.map((u) => u.id)).toEqual(["admin"]);
    expect(skipped).toEqual([
      {
        name: "bob@example.com",
        reason:
          "it cannot be read: permission denied; Nextcloud's files are owned by uid 33, so run " +
          "photoferry as that user or give it read access (EACCES)",
      },
      { name: "o'brien", reason: "it cannot be read: EIO: i/o error, lstat (EIO)" },
    ]);
  });

  it("throws a DiscoveryError when dataDir cannot be listed", async () => {
    const cause = coded("EACCES");
    const fs = failing({ [dataDir]: cause });
    const error: unknown = await listNextcloudUsers(dataDir, fs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error).toMatchObject({ path: dataDir, code: "EACCES", cause });
    expect((error as Error).message).toContain(`${dataDir}: permission denied (EACCES). Fix:`);
  });

  it("copes with an error without a code", async () => {
    const fs = failing({ [dataDir]: new Error("strange") });
    await expect(listNextcloudUsers(dataDir, fs)).rejects.toMatchObject({
      code: "UNKNOWN",
      message: expect.stringContaining(": strange (UNKNOWN)") as unknown,
    });
  });
});
