import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../../test-support/child-build.js";
import { jpegWithExif } from "../../test-support/exif-jpeg.js";
import { crc32cHex } from "./crc32c.js";
import { createSimulatedPhotoPrism, readSimFiles, type SimulatedPhotoPrism } from "./harness.js";

let program = "";
// Transpiling all of src/ can take a while when the whole suite runs in parallel.
beforeAll(() => {
  program = join(buildForChildProcess(), "simulators", "photoprism", "photoprism-sim.js");
}, 120_000);

function setUp(): SimulatedPhotoPrism {
  return createSimulatedPhotoPrism({ root: mkdtempSync(join(tmpdir(), "pp-sim-")), program });
}

function run(pp: SimulatedPhotoPrism, args: string[], env: NodeJS.ProcessEnv = {}) {
  const [node = "", ...rest] = pp.argv;
  const result = spawnSync(node, [...rest, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
    cwd: pp.root,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha1 = (data: Buffer) => createHash("sha1").update(data).digest("hex");
const photo = (taken: string, body: string) =>
  jpegWithExif({ make: "Canon", model: "EOS", taken, width: 4, height: 3 }, Buffer.from(body));
const listTree = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();

describe("photoprism-sim import (child process)", { timeout: 60_000 }, () => {
  it("moves an EXIF JPEG to its dated canonical name and logs like PhotoPrism", () => {
    const pp = setUp();
    const jpeg = photo("2016:11:27 13:30:24", "one");
    writeFileSync(join(pp.importPath, "DSC_0820.JPG"), jpeg);
    const r = run(pp, ["import"]);
    const name = `2016/11/20161127_133024_${crc32cHex(jpeg).toUpperCase()}.jpg`;
    expect(r.code).toBe(0);
    expect(listTree(pp.originalsPath)).toEqual([name]);
    expect(readdirSync(pp.importPath)).toEqual([]);
    expect(r.stderr).toMatch(/^time="[^"]+Z" level=info msg="moving media files from /m);
    expect(r.stderr).toContain(`msg="import: moving main jpg file DSC_0820.JPG to ${name}"`);
    expect(r.stderr).toContain(`msg="import: added main jpg file ${name}"`);
    expect(r.stderr).toMatch(/msg="completed in [0-9.]+(ms|s|µs)"/);
    expect(r.stdout).toBe("");
    const [file] = readSimFiles(pp.storagePath);
    expect(file).toMatchObject({
      Name: name,
      Root: "/",
      OriginalName: "DSC_0820.JPG",
      Hash: sha1(jpeg),
      Primary: true,
    });
  });

  it("imports below --dest", () => {
    const pp = setUp();
    writeFileSync(join(pp.importPath, "IMG_20200101_120000.jpg"), "b");
    run(pp, ["cp", "-d", "../family/"]);
    expect(listTree(pp.originalsPath)).toEqual([
      `family/2020/01/20200101_120000_${crc32cHex(Buffer.from("b")).toUpperCase()}.jpg`,
    ]);
  });

  it("falls back to the mtime, adds .00001 on a name collision, keeps mtime", () => {
    const pp = setUp();
    const a = Buffer.from("not a real jpeg");
    const path = join(pp.importPath, "a.jpg");
    writeFileSync(path, a);
    const mtime = new Date("2019-03-04T05:06:07Z");
    utimesSync(path, mtime, mtime);
    const base = `20190304_050607_${crc32cHex(a).toUpperCase()}`;
    // Different content already sitting at the canonical name.
    mkdirSync(join(pp.originalsPath, "2019", "03"), { recursive: true });
    writeFileSync(join(pp.originalsPath, "2019", "03", `${base}.jpg`), "other");
    run(pp, ["cp"]);
    const target = join(pp.originalsPath, "2019", "03", `${base}.00001.jpg`);
    expect(statSync(target).mtime.toISOString()).toBe(mtime.toISOString());
    // Known by SHA-1 now: another copy, even to another --dest, is a duplicate.
    const again = run(pp, ["cp", "--dest", "family"]);
    expect(again.stderr).toContain(`a.jpg is identical to 2019/03/${base}.00001.jpg`);
    expect(existsSync(join(pp.originalsPath, "family"))).toBe(false);
    expect(existsSync(path)).toBe(true); // copy mode leaves the source
  });

  it("keeps Live Photos and RAW+JPEG+xmp together under the main file's name", () => {
    const pp = setUp();
    const heic = Buffer.from("heic-bytes");
    writeFileSync(join(pp.importPath, "IMG_0007.HEIC"), heic);
    writeFileSync(join(pp.importPath, "IMG_0007.MOV"), "mov-bytes");
    const raw = Buffer.from("raw-bytes");
    mkdirSync(join(pp.importPath, "sub"));
    for (const [n, d] of [
      ["IMG_1.CR2", raw],
      ["IMG_1.JPG", "jpg"],
      ["IMG_1.CR2.xmp", "<x/>"],
    ] as const) {
      const p = join(pp.importPath, "sub", n);
      writeFileSync(p, d);
      utimesSync(p, new Date("2020-01-01T00:00:00Z"), new Date("2020-01-01T00:00:00Z"));
    }
    utimesSync(
      join(pp.importPath, "IMG_0007.HEIC"),
      new Date("2021-02-03T04:05:06Z"),
      new Date("2021-02-03T04:05:06Z"),
    );
    const r = run(pp, ["import"]);
    const live = `2021/02/20210203_040506_${crc32cHex(heic).toUpperCase()}`;
    const pair = `2020/01/20200101_000000_${crc32cHex(raw).toUpperCase()}`;
    expect(listTree(pp.originalsPath)).toEqual(
      [`${pair}.cr2`, `${pair}.jpg`, `${pair}.xmp`, `${live}.heic`, `${live}.mov`].sort(),
    );
    expect(r.stderr).toContain("import: moving main raw file sub/IMG_1.CR2 to");
    expect(r.stderr).toContain("import: moving related mov file IMG_0007.MOV to");
    expect(r.stderr).toContain("import: deleted empty folder sub");
    const files = readSimFiles(pp.storagePath);
    const heicEntity = files.find((f) => f.Name === `${live}.heic`);
    expect(files.find((f) => f.Name === `${live}.mov`)?.PhotoUID).toBe(heicEntity?.PhotoUID);
    expect(files.find((f) => f.Name === `${pair}.xmp`)?.Sidecar).toBe(true);
  });

  it("deletes SHA-1 duplicates in move mode and keeps them in copy mode", () => {
    const pp = setUp();
    const jpeg = photo("2018:09:05 18:49:59", "dup");
    writeFileSync(join(pp.importPath, "first.jpg"), jpeg);
    run(pp, ["import"]);
    writeFileSync(join(pp.importPath, "again.jpg"), jpeg);
    const copy = run(pp, ["cp"]);
    expect(copy.stderr).toMatch(
      /import: again.jpg is identical to 2018\/09\/20180905_184959_[0-9A-F]{8}.jpg \(sha1 [0-9a-f]{40}\)/,
    );
    expect(readdirSync(pp.importPath)).toEqual(["again.jpg"]);
    const move = run(pp, ["import"]);
    expect(move.stderr).toContain('msg="import: deleted again.jpg (already exists)"');
    expect(readdirSync(pp.importPath)).toEqual([]);
    expect(listTree(pp.originalsPath)).toHaveLength(1);
  });

  it("leaves unsupported and zero-byte files, removes hidden files, never the source folder", () => {
    const pp = setUp();
    const batch = join(pp.importPath, "batch-1");
    mkdirSync(join(batch, ".hidden-dir"), { recursive: true });
    writeFileSync(join(batch, "notes.txt"), "text");
    writeFileSync(join(batch, "empty.jpg"), "");
    writeFileSync(join(batch, ".DS_Store"), "x");
    writeFileSync(join(batch, ".hidden-dir", "keep.jpg"), "y");
    writeFileSync(join(batch, "good.png"), "png");
    const r = run(pp, ["import", batch]);
    expect(r.code).toBe(0);
    expect(readdirSync(batch).sort()).toEqual([".hidden-dir", "empty.jpg", "notes.txt"]);
    expect(r.stderr).toContain("media: empty.jpg is empty");
    expect(listTree(pp.originalsPath)).toHaveLength(1);
  });

  it("refuses read-only mode and the originals folder, still exiting 0", () => {
    const pp = setUp();
    writeFileSync(join(pp.importPath, "a.jpg"), "a");
    const ro = run(pp, ["import"], { PHOTOPRISM_READONLY: "true" });
    expect(ro.code).toBe(0);
    expect(ro.stderr).toContain('level=error msg="not available in read-only mode"');
    const same = run(pp, ["import", pp.originalsPath]);
    expect(same.stderr).toContain('level=error msg="import path is identical with originals"');
    const missing = run(pp, ["import", "does-not-exist"]);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain(
      `import: directory ${join(pp.root, "does-not-exist")} not found`,
    );
    expect(readdirSync(pp.importPath)).toEqual(["a.jpg"]);
  });

  it("answers unknown flags with Incorrect Usage, unknown commands with exit 3", () => {
    const pp = setUp();
    const bad = run(pp, ["import", "--move"]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain("Incorrect Usage: flag provided but not defined: -move");
    const global = run(pp, ["--bogus", "import"]);
    expect(global.stdout).toContain("Incorrect Usage. flag provided but not defined: -bogus");
    expect(run(pp, ["frobnicate"]).code).toBe(3);
    expect(run(pp, ["--version"]).stdout).toMatch(/^photoprism version \S+\n$/);
  });

  it("creates an app password with auth add and indexes originals", () => {
    const pp = setUp();
    const r = run(pp, ["auth", "add", "-n", "ferry", "-s", "files photos", "admin"]);
    expect(r.stdout).toContain("RANDOMLY GENERATED APP PASSWORD");
    expect(r.stdout).toMatch(/│ [A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3} +│ files photos +│/);
    mkdirSync(join(pp.originalsPath, "2020"));
    writeFileSync(join(pp.originalsPath, "2020", "x.jpg"), "x");
    const first = run(pp, ["index"]);
    expect(first.stderr).toContain("index: added main jpg file 2020/x.jpg");
    expect(first.stderr).toMatch(/index: updated 1 file \[/);
    const second = run(pp, ["index"]);
    expect(second.stderr).toContain("index: found no new or modified files");
  });

  it("serves the REST API with start and stops on SIGTERM", async () => {
    const pp = setUp();
    const [node = "", ...rest] = pp.argv;
    const child = spawn(node, [...rest, "--http-host", "127.0.0.1", "--http-port", "0", "start"]);
    let stderr = "";
    const port = await new Promise<string>((found, fail) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m?.[1] !== undefined) found(m[1]);
      });
      child.once("exit", () => fail(new Error(`exited early: ${stderr}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
    expect(await res.json()).toEqual({ status: "operational" });
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  });
});
