import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../test-support/child-build.js";
import { dirModeFor, nodeTransferFs } from "./transfer-fs.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const root = () => {
  const dir = mkdtempSync(join(tmpdir(), "transfer-fs-"));
  dirs.push(dir);
  return dir;
};
const owner = (path: string) => {
  const st = statSync(path);
  return { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
};
const asRoot = process.getuid?.() === 0;

describe("nodeTransferFs.mkdirp with ownership", () => {
  it("derives a folder mode from the file mode", () => {
    expect(dirModeFor(0o644)).toBe(0o755);
    expect(dirModeFor(0o664)).toBe(0o775);
    expect(dirModeFor(0o640)).toBe(0o750);
    expect(dirModeFor(0o600)).toBe(0o700);
  });

  it.skipIf(!asRoot)(
    "gives created folders, and existing ones from `from` down, the owner",
    async () => {
      const dir = root();
      const batch = join(dir, "import", ".photoferry", "batch");
      mkdirSync(batch, { recursive: true });
      await nodeTransferFs.mkdirp(join(batch, "my user", "Camera"), {
        owner: { uid: 1000, gid: 1001, mode: 0o755 },
        from: batch,
      });
      for (const path of [batch, join(batch, "my user"), join(batch, "my user", "Camera")])
        expect(owner(path), path).toEqual({ uid: 1000, gid: 1001, mode: 0o755 });
      expect(owner(join(dir, "import")).uid).toBe(0); // above `from`: untouched
    },
  );

  it.skipIf(!asRoot)("inherits the owner of the nearest existing folder", async () => {
    const dir = root();
    const files = join(dir, "data", "alice", "files");
    mkdirSync(files, { recursive: true, mode: 0o750 });
    chownSync(files, 33, 33);
    await nodeTransferFs.mkdirp(join(files, "Archived Photos", "Camera"), { owner: "inherit" });
    expect(owner(join(files, "Archived Photos", "Camera"))).toEqual(owner(files));
    expect(owner(files)).toMatchObject({ uid: 33, gid: 33 });
  });

  it.skipIf(!asRoot)(
    "inherits the owner but keeps its own group when it may not give the folder away",
    { timeout: 30_000 },
    () => {
      // As the compose files run it: Nextcloud's uid 33 with PhotoPrism's group 1000, so
      // it is not in Nextcloud's group 33 and chown(…, 33, 33) is refused.
      const dir = root();
      chmodSync(dir, 0o755);
      const files = join(dir, "data", "alice", "files");
      mkdirSync(files, { recursive: true, mode: 0o750 });
      for (const path of [join(dir, "data"), join(dir, "data", "alice"), files])
        chownSync(path, 33, 33);
      const module = join(buildForChildProcess(), "transfer", "transfer-fs.js");
      const target = join(files, "Archived Photos", "Camera");
      const script = `import(${JSON.stringify(module)}).then(({ nodeTransferFs }) =>
        nodeTransferFs.mkdirp(${JSON.stringify(target)}, { owner: "inherit" }))`;
      const child = spawnSync(process.execPath, ["-e", script], {
        uid: 33,
        gid: 1000,
        encoding: "utf8",
      });
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
      expect(owner(target)).toEqual({ uid: 33, gid: 1000, mode: 0o700 });
      expect(owner(join(files, "Archived Photos"))).toEqual({ uid: 33, gid: 1000, mode: 0o700 });
      // Another user may not take over the folder: its refused chown still fails the call.
      for (const path of [join(dir, "data"), join(dir, "data", "alice")]) chmodSync(path, 0o755);
      chmodSync(files, 0o777);
      const stranger = spawnSync(
        process.execPath,
        ["-e", script.replace(target, join(files, "Elsewhere", "Camera"))],
        {
          uid: 34,
          gid: 1000,
          encoding: "utf8",
        },
      );
      expect(stranger.status).not.toBe(0);
      expect(stranger.stderr).toContain("EPERM");
    },
  );
});
