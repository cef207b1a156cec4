import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryDirIndex } from "./dir-index.js";
import {
  reconcileScan,
  type ReconcileScanOptions,
  type ScanEntry,
  type ScannedFile,
} from "./reconcile-scan.js";
import { nodeScanFs, nodeSyncScanFs, type ScanFs } from "./scan-fs.js";

let base: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "photoferry-scan-"));
  root = join(base, "InstantUpload");
  mkdirSync(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function put(relativePath: string, content = "photo"): void {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A clock far enough ahead that every mtime just written counts as old (the trust rule). */
const later = () => Date.now() + 10_000;

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** node:fs/promises with every call recorded and optional injected failures. */
function spyFs(fail: { readdir?: (path: string) => string | undefined } = {}) {
  const calls = { readdir: [] as string[], lstat: [] as string[] };
  const fs: ScanFs = {
    readdir: (path) => {
      calls.readdir.push(path);
      const code = fail.readdir?.(path);
      return code ? Promise.reject(errno(code)) : nodeScanFs.readdir(path);
    },
    lstat: (path) => {
      calls.lstat.push(path);
      return nodeScanFs.lstat(path);
    },
  };
  const reset = () => {
    calls.readdir.length = 0;
    calls.lstat.length = 0;
  };
  return { fs, calls, reset };
}

const keepAll = () => null;

async function scan(options: Partial<ReconcileScanOptions> & { index: MemoryDirIndex }) {
  const skipped: [string, string][] = [];
  const run = reconcileScan(root, {
    ignore: keepAll,
    onSkipped: (path, reason) => skipped.push([path, reason]),
    ...options,
  });
  const files: ScannedFile[] = [];
  for await (const file of run) files.push(file);
  return { files, paths: files.map((f) => f.relativePath), summary: run.summary, skipped };
}

describe("reconcileScan: first scan", () => {
  it("reports every regular file with its stat: a folder's files, then its folders, by name", async () => {
    put("2024/01/IMG_0001.jpg", "abc");
    put("2024/01/IMG_0002.jpg");
    put("2024/02/sub/deep/VID_0003.mp4");
    put("top.jpg");
    mkdirSync(join(root, "empty"));
    const result = await scan({ index: new MemoryDirIndex() });

    expect(result.paths).toEqual([
      "top.jpg",
      "2024/01/IMG_0001.jpg",
      "2024/01/IMG_0002.jpg",
      "2024/02/sub/deep/VID_0003.mp4",
    ]);
    const first = result.files[1]!;
    const stat = lstatSync(first.path, { bigint: true });
    expect(first).toEqual({
      path: join(root, "2024/01/IMG_0001.jpg"),
      relativePath: "2024/01/IMG_0001.jpg",
      size: 3,
      mtimeMs: lstatSync(first.path).mtimeMs,
      mtimeNs: stat.mtimeNs,
      ino: stat.ino,
      dev: stat.dev,
    });
    expect(result.summary).toMatchObject({
      root,
      rootStatus: "scanned",
      dirsRead: 7,
      dirsSkipped: 0,
      filesReported: 4,
      errors: 0,
    });
  });

  it("handles names with spaces, newlines, leading dashes, non-ASCII and 255 bytes", async () => {
    const longDir = `${"é".repeat(127)}d`; // 255 bytes in UTF-8
    const longFile = `${"x".repeat(251)}.jpg`;
    const names = [
      `with space/a b.jpg`,
      `new\nline/c\nd.jpg`,
      `-rf/--help.jpg`,
      `ünïcödé 写真/😀.jpg`,
      `${longDir}/${longFile}`,
      `' quote"s @ user/x.jpg`,
    ];
    for (const name of names) put(name);
    expect(Buffer.byteLength(longDir)).toBe(255);
    const index = new MemoryDirIndex();
    const first = await scan({ index, now: later });
    expect([...first.paths].sort()).toEqual([...names].sort());
    for (const file of first.files) expect(file.path).toBe(join(root, file.relativePath));

    const spy = spyFs();
    const second = await scan({ index, now: later, fs: spy.fs });
    expect(second.paths).toEqual([]);
    expect(spy.calls.readdir).toEqual([]);
  });
});

describe("reconcileScan: unchanged tree", () => {
  function tree(): void {
    for (const dir of ["a", "a/b", "a/b/c", "d", "d/e"]) put(`${dir}/IMG.jpg`);
  }

  it("reads no directory once the recorded mtimes are trusted: one lstat per directory", async () => {
    tree();
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    const spy = spyFs();
    const result = await scan({ index, now: later, fs: spy.fs });
    expect(result.files).toEqual([]);
    expect(spy.calls.readdir).toEqual([]);
    expect(spy.calls.lstat.sort()).toEqual(
      ["", "a", "a/b", "a/b/c", "d", "d/e"].map((d) => (d ? join(root, d) : root)).sort(),
    );
    expect(result.summary).toMatchObject({ dirsRead: 0, dirsSkipped: 6, filesReported: 0 });
  });

  it("re-reads directories whose mtime was too recent when recorded, until it is not", async () => {
    tree();
    const index = new MemoryDirIndex();
    await scan({ index }); // the real clock: everything was written just now
    const spy = spyFs();
    const second = await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toHaveLength(6);
    expect(second.paths).toHaveLength(5);
    spy.reset();
    await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([]);
  });

  it("trusts a recorded time from exactly 2 s after the directory's last change", async () => {
    put("IMG.jpg");
    const stat = lstatSync(root, { bigint: true });
    const changedNs = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
    const changedMs = Number(changedNs / 1_000_000n);
    const spy = spyFs();

    const almost = new MemoryDirIndex();
    await scan({ index: almost, now: () => changedMs + 1999 });
    await scan({ index: almost, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([root]);

    spy.reset();
    const enough = new MemoryDirIndex();
    await scan({ index: enough, now: () => changedMs + 2000 });
    await scan({ index: enough, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([]);
  });

  it("never trusts an mtime in the future (clock skew): re-reads every time", async () => {
    put("a/IMG.jpg");
    const future = Date.now() / 1000 + 3600;
    utimesSync(join(root, "a"), future, future);
    const index = new MemoryDirIndex();
    const spy = spyFs();
    await scan({ index, now: later });
    await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([join(root, "a")]);
  });

  it("reads everything with rereadAll, and keeps the index", async () => {
    tree();
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    const result = await scan({ index, now: later, rereadAll: true });
    expect(result.paths).toHaveLength(5);
    expect(index.size).toBe(6);
  });
});

describe("reconcileScan: changes", () => {
  it("finds a file added deep in the tree by re-reading only its directory", async () => {
    for (const dir of ["x", "a", "a/b", "a/b/c", "a/b/c/d"]) put(`${dir}/old.jpg`);
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    put("a/b/c/new.jpg");
    const spy = spyFs();
    const result = await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([join(root, "a/b/c")]);
    expect(result.paths).toEqual(["a/b/c/new.jpg", "a/b/c/old.jpg"]);
    expect(result.summary).toMatchObject({ dirsRead: 1, dirsSkipped: 5 });
  });

  it("finds a new directory and everything in it", async () => {
    put("a/old.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    put("a/new/deeper/IMG.jpg");
    put("a/new/IMG.jpg");
    const spy = spyFs();
    const result = await scan({ index, now: later, fs: spy.fs });
    expect(result.paths).toEqual(["a/old.jpg", "a/new/IMG.jpg", "a/new/deeper/IMG.jpg"]);
    expect(spy.calls.readdir.sort()).toEqual(
      [join(root, "a"), join(root, "a/new"), join(root, "a/new/deeper")].sort(),
    );
  });

  it("drops a removed directory and its subtree from the index", async () => {
    put("a/keep/IMG.jpg");
    put("a/gone/deeper/IMG.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    expect(index.get(join(root, "a/gone/deeper"))).toBeDefined();
    rmSync(join(root, "a/gone"), { recursive: true });
    const spy = spyFs();
    const result = await scan({ index, now: later, fs: spy.fs });
    expect(result.files).toEqual([]);
    expect(spy.calls.readdir).toEqual([join(root, "a")]);
    expect(index.paths()).toEqual([root, join(root, "a"), join(root, "a/keep")]);
    expect(index.get(join(root, "a"))?.subdirs).toEqual(["keep"]);
  });

  it("reports a renamed directory's files under the new name", async () => {
    put("a/old name/IMG.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    const { renameSync } = await import("node:fs");
    renameSync(join(root, "a/old name"), join(root, "a/new name"));
    const result = await scan({ index, now: later });
    expect(result.paths).toEqual(["a/new name/IMG.jpg"]);
    expect(index.get(join(root, "a/old name"))).toBeUndefined();
  });

  it("notices entries added by a tool that sets the directory's mtime back (ctime)", async () => {
    put("a/IMG_1.jpg");
    const dir = join(root, "a");
    utimesSync(dir, 1_600_000_000, 1_600_000_000); // whole seconds: restorable exactly
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    put("a/IMG_2.jpg");
    utimesSync(dir, 1_600_000_000, 1_600_000_000); // like rsync -a or cp -a
    expect(lstatSync(dir, { bigint: true }).mtimeNs).toBe(index.get(dir)?.mtimeNs);
    const result = await scan({ index, now: later });
    expect(result.paths).toEqual(["a/IMG_1.jpg", "a/IMG_2.jpg"]);
  });

  it("reads a directory whose recorded subdirectory is no longer one", async () => {
    put("a/sub/IMG.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    // A record that disagrees with the disk, as after a clock jump or times set by hand.
    const a = index.get(join(root, "a"))!;
    index.put({ ...a, subdirs: ["sub", "phantom"] });
    const spy = spyFs();
    const result = await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([join(root, "a")]);
    expect(result.summary.errors).toBe(0);
    expect(index.get(join(root, "a"))?.subdirs).toEqual(["sub"]);
  });

  it("records a directory only after its files were taken: a consumer that stops early sees them again", async () => {
    put("a/IMG_1.jpg");
    put("a/IMG_2.jpg");
    const index = new MemoryDirIndex();
    for await (const file of reconcileScan(root, { index, ignore: keepAll, now: later })) {
      expect(file.relativePath).toBe("a/IMG_1.jpg");
      break;
    }
    expect(index.get(join(root, "a"))).toBeUndefined();
    const result = await scan({ index, now: later });
    expect(result.paths).toEqual(["a/IMG_1.jpg", "a/IMG_2.jpg"]);
  });
});

describe("reconcileScan: the root", () => {
  it("yields nothing for a missing root and drops its records", async () => {
    put("a/IMG.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    index.put({ path: `${root}x`, mtimeNs: 1n, ctimeNs: 1n, subdirs: [], scannedAtMs: 1 });
    rmSync(root, { recursive: true });
    const result = await scan({ index, now: later });
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.summary.rootStatus).toBe("missing");
    expect(index.paths()).toEqual([`${root}x`]);
  });

  it("refuses a root that is a symbolic link", async () => {
    const real = join(base, "real");
    mkdirSync(real);
    writeFileSync(join(real, "IMG.jpg"), "x");
    rmSync(root, { recursive: true });
    symlinkSync(real, root);
    const index = new MemoryDirIndex();
    index.put({ path: root, mtimeNs: 1n, ctimeNs: 1n, subdirs: [], scannedAtMs: 1 });
    const result = await scan({ index });
    expect(result.files).toEqual([]);
    expect(result.summary).toMatchObject({ rootStatus: "unusable", errors: 1 });
    expect(result.skipped).toEqual([[root, expect.stringContaining("symbolic link")]]);
    expect(index.size).toBe(0);
  });

  it("refuses a root that is a file", async () => {
    rmSync(root, { recursive: true });
    writeFileSync(root, "x");
    const result = await scan({ index: new MemoryDirIndex() });
    expect(result.summary.rootStatus).toBe("unusable");
    expect(result.skipped).toEqual([[root, "the path to scan is not a folder"]]);
  });

  it("accepts a relative root and a trailing slash", async () => {
    put("IMG.jpg");
    for (const given of [`${root}/`, relative(process.cwd(), root)]) {
      const run = reconcileScan(given, { index: new MemoryDirIndex(), ignore: keepAll });
      const files: ScannedFile[] = [];
      for await (const file of run) files.push(file);
      expect(files.map((f) => f.path)).toEqual([join(root, "IMG.jpg")]);
      expect(run.summary.root).toBe(root);
    }
  });
});

describe("reconcileScan: links, special files, ignore rules", () => {
  it("never follows symbolic links and reports them", async () => {
    const outside = join(base, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.jpg"), "x");
    put("IMG.jpg");
    symlinkSync(outside, join(root, "linked-dir"));
    symlinkSync(join(outside, "secret.jpg"), join(root, "linked.jpg"));
    const spy = spyFs();
    const result = await scan({ index: new MemoryDirIndex(), fs: spy.fs });
    expect(result.paths).toEqual(["IMG.jpg"]);
    expect(spy.calls.readdir).toEqual([root]);
    expect(result.skipped.map(([path]) => path)).toEqual([
      join(root, "linked-dir"),
      join(root, "linked.jpg"),
    ]);
    expect(result.skipped[0]![1]).toContain("symbolic link");
    expect(result.summary.entriesSkipped).toBe(2);
  });

  it("lets the ignore callback pass over links quietly", async () => {
    symlinkSync(base, join(root, "link"));
    const seen: ScanEntry[] = [];
    const result = await scan({
      index: new MemoryDirIndex(),
      ignore: (entry) => (seen.push(entry), entry.type === "symlink" ? "a link" : null),
    });
    expect(seen).toEqual([{ relativePath: "link", type: "symlink", size: 0 }]);
    expect(result.skipped).toEqual([]);
    expect(result.summary.entriesIgnored).toBe(1);
  });

  it("does not report ignored files and does not descend into ignored directories", async () => {
    put("IMG.jpg");
    put("IMG.jpg.part");
    put("empty.jpg", "");
    put(".thumbnails/IMG.jpg");
    put("a/.hidden/deeper/IMG.jpg");
    put("a/IMG.jpg");
    const seen: ScanEntry[] = [];
    const ignore = (entry: ScanEntry) => {
      seen.push(entry);
      const name = entry.relativePath.split("/").pop()!;
      if (name.startsWith(".")) return "hidden";
      if (name.endsWith(".part")) return "upload in progress";
      if (entry.type === "file" && entry.size === 0) return "empty";
      return null;
    };
    const spy = spyFs();
    const index = new MemoryDirIndex();
    const result = await scan({ index, ignore, fs: spy.fs });
    expect(result.paths).toEqual(["IMG.jpg", "a/IMG.jpg"]);
    expect(result.summary.entriesIgnored).toBe(4);
    expect(spy.calls.readdir.sort()).toEqual([root, join(root, "a")].sort());
    expect(seen).toContainEqual({ relativePath: "a/.hidden", type: "dir", size: 0 });
    expect(seen).toContainEqual({ relativePath: "IMG.jpg", type: "file", size: 5 });
    expect(seen).toContainEqual({ relativePath: "empty.jpg", type: "file", size: 0 });
    expect(index.get(join(root, "a"))?.subdirs).toEqual([]);
  });
});

describe("reconcileScan: faults", () => {
  it("skips an unreadable directory, goes on, and retries it next time", async () => {
    put("a/IMG.jpg");
    put("a/locked/IMG.jpg");
    put("a/locked/deeper/IMG.jpg");
    put("z/IMG.jpg");
    const locked = join(root, "a/locked");
    let denied = true;
    const spy = spyFs({ readdir: (path) => (denied && path === locked ? "EACCES" : undefined) });
    const index = new MemoryDirIndex();
    const first = await scan({ index, now: later, fs: spy.fs });
    expect(first.paths).toEqual(["a/IMG.jpg", "z/IMG.jpg"]);
    expect(first.skipped).toEqual([[locked, expect.stringContaining("EACCES")]]);
    expect(first.summary.errors).toBe(1);
    expect(index.get(locked)).toBeUndefined();
    expect(index.get(join(root, "a"))?.subdirs).toEqual(["locked"]);

    denied = false;
    spy.reset();
    const second = await scan({ index, now: later, fs: spy.fs });
    expect(spy.calls.readdir).toEqual([locked, join(locked, "deeper")]);
    expect(second.paths).toEqual(["a/locked/IMG.jpg", "a/locked/deeper/IMG.jpg"]);
    expect(second.skipped).toEqual([]);
  });

  it("skips a file that cannot be lstat'ed and re-reads its directory next time", async () => {
    put("a/bad.jpg");
    put("a/good.jpg");
    const bad = join(root, "a/bad.jpg");
    let failing = true;
    const fs: ScanFs = {
      readdir: (path) => nodeScanFs.readdir(path),
      lstat: (path) =>
        failing && path === bad ? Promise.reject(errno("EIO")) : nodeScanFs.lstat(path),
    };
    const index = new MemoryDirIndex();
    const first = await scan({ index, now: later, fs });
    expect(first.paths).toEqual(["a/good.jpg"]);
    expect(first.skipped).toEqual([[bad, expect.stringContaining("EIO")]]);
    failing = false;
    const second = await scan({ index, now: later, fs });
    expect(second.paths).toEqual(["a/bad.jpg", "a/good.jpg"]);
    const third = await scan({ index, now: later, fs });
    expect(third.paths).toEqual([]);
  });

  it("keeps listing a subdirectory that could not be lstat'ed, so it is retried", async () => {
    put("a/sub/IMG.jpg");
    const sub = join(root, "a/sub");
    let failing = true;
    const fs: ScanFs = {
      readdir: (path) => nodeScanFs.readdir(path),
      lstat: (path) =>
        failing && path === sub ? Promise.reject(errno("EACCES")) : nodeScanFs.lstat(path),
    };
    const index = new MemoryDirIndex();
    const first = await scan({ index, now: later, fs });
    expect(first.paths).toEqual([]);
    expect(first.skipped).toEqual([[sub, expect.stringContaining("EACCES")]]);
    expect(index.get(join(root, "a"))?.subdirs).toEqual(["sub"]);
    failing = false;
    const second = await scan({ index, now: later, fs });
    expect(second.paths).toEqual(["a/sub/IMG.jpg"]);
    expect(second.summary).toMatchObject({ dirsRead: 1, dirsSkipped: 2 });
  });

  it("reports a subdirectory that cannot be lstat'ed while its parent is unchanged", async () => {
    put("a/sub/IMG.jpg");
    const index = new MemoryDirIndex();
    await scan({ index, now: later });
    const sub = join(root, "a/sub");
    const fs: ScanFs = {
      readdir: (path) => nodeScanFs.readdir(path),
      lstat: (path) => (path === sub ? Promise.reject(errno("EIO")) : nodeScanFs.lstat(path)),
    };
    const result = await scan({ index, now: later, fs });
    expect(result.skipped).toEqual([[sub, expect.stringContaining("EIO")]]);
    expect(index.get(sub)).toBeUndefined();
    const retried = await scan({ index, now: later });
    expect(retried.paths).toEqual(["a/sub/IMG.jpg"]);
  });

  it("reports names that are not valid UTF-8 instead of failing", async () => {
    put("IMG.jpg");
    const bad = Buffer.concat([
      Buffer.from(`${root}/bad-`),
      Buffer.from([0xff]),
      Buffer.from(".jpg"),
    ]);
    writeFileSync(bad, "x");
    const result = await scan({ index: new MemoryDirIndex() });
    expect(result.paths).toEqual(["IMG.jpg"]);
    expect(result.skipped).toEqual([[`${root}/bad-\uFFFD.jpg`, expect.stringContaining("UTF-8")]]);
  });

  it("treats entries that vanish between readdir and lstat as gone, silently", async () => {
    put("a/IMG.jpg");
    put("a/transient.jpg.part");
    const transient = join(root, "a/transient.jpg.part");
    const fs: ScanFs = {
      readdir: async (path) => {
        const entries = await nodeScanFs.readdir(path);
        if (path === join(root, "a")) rmSync(transient);
        return entries;
      },
      lstat: (path) => nodeScanFs.lstat(path),
    };
    const result = await scan({ index: new MemoryDirIndex(), fs });
    expect(result.paths).toEqual(["a/IMG.jpg"]);
    expect(result.skipped).toEqual([]);
    expect(result.summary.errors).toBe(0);
  });

  it("lstats entries whose type readdir does not give (DT_UNKNOWN)", async () => {
    put("a/IMG.jpg");
    symlinkSync(base, join(root, "link"));
    const unknown = (name: string) => ({
      name,
      isFile: () => false,
      isDirectory: () => false,
      isSymbolicLink: () => false,
      isFIFO: () => false,
      isSocket: () => false,
      isBlockDevice: () => false,
      isCharacterDevice: () => false,
    });
    const fs: ScanFs = {
      readdir: async (path) => (await nodeScanFs.readdir(path)).map((d) => unknown(d.name)),
      lstat: (path) => nodeScanFs.lstat(path),
    };
    const result = await scan({ index: new MemoryDirIndex(), fs });
    expect(result.paths).toEqual(["a/IMG.jpg"]);
    expect(result.skipped.map(([path]) => path)).toEqual([join(root, "link")]);
  });

  it("stops when its signal is aborted", async () => {
    put("a/IMG.jpg");
    put("b/IMG.jpg");
    const controller = new AbortController();
    const run = reconcileScan(root, {
      index: new MemoryDirIndex(),
      ignore: keepAll,
      signal: controller.signal,
    });
    const first = await run.next();
    expect(first.value).toMatchObject({ relativePath: "a/IMG.jpg" });
    controller.abort();
    await expect(run.next()).rejects.toThrow(/abort/i);
  });
});

describe("reconcileScan: synchronous fs", () => {
  /** How many event loop turns happen while `work` runs. */
  async function countTurns(work: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await work();
    running = false;
    return turns;
  }

  it("gives the same result as the async one and hands the event loop back", async () => {
    for (let i = 0; i < 40; i++) put(`d${i}/IMG_${i}.jpg`);
    const asyncResult = await scan({ index: new MemoryDirIndex() });
    let syncFiles: ScannedFile[] = [];
    const paced = await countTurns(async () => {
      const result = await scan({
        index: new MemoryDirIndex(),
        fs: nodeSyncScanFs,
        yieldEveryMs: 0,
      });
      syncFiles = result.files;
    });
    expect(syncFiles).toEqual(asyncResult.files);
    expect(paced).toBeGreaterThan(40);
    const unpaced = await countTurns(() =>
      scan({ index: new MemoryDirIndex(), fs: nodeSyncScanFs, yieldEveryMs: 60_000 }),
    );
    expect(unpaced).toBe(0);
  });
});
