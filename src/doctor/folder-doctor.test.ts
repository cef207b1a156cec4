import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import type { CheckResult } from "./check-result.js";
import { checkFolders } from "./folder-doctor.js";
import { nodeDoctorFs, type DoctorFs } from "./folder-probe.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "doctor-folders-"));
  mkdirSync(join(root, "data", "alice", "files", "Photos"), { recursive: true });
  mkdirSync(join(root, "data", "guest", "files"), { recursive: true });
  writeFileSync(join(root, "data", ".ocdata"), "");
  mkdirSync(join(root, "import"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function config(extra = ""): PhotoferryConfig {
  const yaml = [
    "nextcloud:",
    `  dataDir: ${JSON.stringify(join(root, "data"))}`,
    "  sourceFolders: [Photos]",
    "  users: { exclude: [guest] }",
    extra,
    "photoprism:",
    `  importDir: ${JSON.stringify(join(root, "import"))}`,
    "state:",
    `  dir: ${JSON.stringify(join(root, "deep", "state"))}`,
    "web:",
    "  allow: [127.0.0.1]",
  ].join("\n");
  const loaded = loadConfigText(yaml, { env: {}, secretEnvironment: fakeSecretEnvironment() });
  if (!loaded.config) throw new Error(loaded.issues.map((i) => i.message).join("; "));
  return loaded.config;
}

const who = { uid: 1234, gid: 1234 };
const byName = (results: CheckResult[]) =>
  Object.fromEntries(results.map((r) => [r.name, `${r.status}: ${r.detail}`]));

describe("checkFolders", () => {
  it("checks the included users only, and tells who else it found", async () => {
    const { results, includedUsers } = await checkFolders(config(), { fs: nodeDoctorFs, who });
    expect(includedUsers).toEqual(["alice"]);
    const found = byName(results);
    expect(found.users).toBe(
      "ok: 2 found; included: alice; not included: guest (excluded by pattern 'guest')",
    );
    expect(found["source folders"]).toBe("ok: all 1 present and readable");
    expect(found["user folders writable"]).toBe("ok: photoferry can write in 1 user folder(s)");
    expect(found["state dir"]).toBe(
      `ok: ${join(root, "deep", "state")} does not exist yet; photoferry will create it`,
    );
  });

  it("skips the users of a data dir it cannot read, and fails a missing one", async () => {
    rmSync(join(root, "data"), { recursive: true });
    const { results, includedUsers } = await checkFolders(config(), { fs: nodeDoctorFs, who });
    expect(includedUsers).toEqual([]);
    const found = byName(results);
    expect(found["data dir"]).toBe(`fail: ${join(root, "data")} does not exist`);
    expect(found.users).toBe("skip: the data dir could not be read");
    expect(found["import dir file system"]).toBe(
      "skip: not known: one of the folders could not be examined",
    );
  });

  it("names the users whose folders photoferry cannot write in, unless afterMove is keep", async () => {
    const readOnly: DoctorFs = {
      ...nodeDoctorFs,
      probeWrite: (dir) =>
        dir.endsWith(join("alice", "files"))
          ? Promise.reject(Object.assign(new Error("read-only"), { code: "EROFS" }))
          : nodeDoctorFs.probeWrite(dir),
    };
    const archive = byName((await checkFolders(config(), { fs: readOnly, who })).results);
    expect(archive["user folders writable"]).toBe(
      "fail: cannot create files in alice/files (EROFS)",
    );
    const keep = byName(
      (await checkFolders(config("  afterMove: keep"), { fs: readOnly, who })).results,
    );
    expect(keep["user folders writable"]).toMatch(/^skip: /);
  });

  it("checks originals only when set, and a state dir whose parent is read-only", async () => {
    const plain = byName((await checkFolders(config(), { fs: nodeDoctorFs, who })).results);
    expect(plain["originals dir"]).toBeUndefined();
    const refusing: DoctorFs = {
      ...nodeDoctorFs,
      probeWrite: (dir) =>
        dir === root
          ? Promise.reject(Object.assign(new Error("no"), { code: "EACCES" }))
          : nodeDoctorFs.probeWrite(dir),
    };
    const cfg = config();
    const results = await checkFolders(
      { ...cfg, photoprism: { ...cfg.photoprism, originalsDir: join(root, "originals") } },
      { fs: refusing, who },
    );
    const found = byName(results.results);
    expect(found["originals dir"]).toBe(`fail: ${join(root, "originals")} does not exist`);
    expect(found["state dir"]).toBe(
      `fail: ${join(root, "deep", "state")} does not exist, and photoferry cannot create files in ${root} (EACCES)`,
    );
    expect(results.results.find((r) => r.name === "state dir")!.fix).toContain("uid 1234");
  });
});
