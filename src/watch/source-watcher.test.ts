import { EventEmitter } from "node:events";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Writable } from "node:stream";
import type { ChokidarOptions } from "chokidar";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  chokidarWatchFactory,
  normalizeRoots,
  SourceWatcher,
  type SourceEvent,
  type SourceWatcherOptions,
  type WatchFactory,
  type WatchHandle,
} from "./source-watcher.js";

let dir: string;
let watchers: SourceWatcher[];
let logLines: { level: number; msg: string }[];

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "photoferry-watch-")));
  watchers = [];
  logLines = [];
});
afterEach(async () => {
  await Promise.all(watchers.map((watcher) => watcher.stop()));
  rmSync(dir, { recursive: true, force: true });
});

interface Seen {
  path: string;
  event: SourceEvent;
}

function makeWatcher(
  roots: string[],
  options: Partial<SourceWatcherOptions> = {},
): { watcher: SourceWatcher; seen: Seen[]; degraded: string[] } {
  const seen: Seen[] = [];
  const degraded: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        logLines.push(JSON.parse(line) as { level: number; msg: string });
      }
      done();
    },
  });
  const watcher = new SourceWatcher({
    roots,
    onPath: (path, event) => seen.push({ path, event }),
    onDegraded: (reason) => degraded.push(reason),
    logger: pino({ level: "debug" }, destination),
    ...options,
  });
  watchers.push(watcher);
  return { watcher, seen, degraded };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function saw(seen: Seen[], path: string, event?: SourceEvent): boolean {
  return seen.some((item) => item.path === path && (event === undefined || item.event === event));
}

async function untilSeen(seen: Seen[], path: string, event: SourceEvent): Promise<void> {
  await until(() => saw(seen, path, event), `${event} ${path} (seen: ${JSON.stringify(seen)})`);
}

let barrierCount = 0;
/**
 * Writes a control file and waits for its event. Events are delivered in order closely
 * enough that anything caused earlier would have arrived by then: no fixed sleep needed.
 */
async function barrier(seen: Seen[], root: string): Promise<void> {
  const path = join(root, `barrier-${++barrierCount}.jpg`);
  writeFileSync(path, "x");
  await untilSeen(seen, path, "add");
}

const warnings = () => logLines.filter((line) => line.level === 40).map((line) => line.msg);

describe("SourceWatcher with chokidar", () => {
  it("reports add, change and unlink below a root, also in existing subfolders", async () => {
    mkdirSync(join(dir, "Camera"));
    const { watcher, seen } = makeWatcher([dir]);
    await watcher.start();
    expect(watcher.status()).toEqual({ state: "running", roots: [{ root: dir, watching: true }] });

    for (const path of [join(dir, "a.jpg"), join(dir, "Camera", "b.jpg")]) {
      writeFileSync(path, "first");
      await untilSeen(seen, path, "add");
      appendFileSync(path, "more");
      await untilSeen(seen, path, "change");
      unlinkSync(path);
      await untilSeen(seen, path, "unlink");
    }
  });

  it("does not report files that existed before start", async () => {
    writeFileSync(join(dir, "old.jpg"), "x");
    const { watcher, seen } = makeWatcher([dir]);
    await watcher.start();
    await barrier(seen, dir);
    expect(saw(seen, join(dir, "old.jpg"))).toBe(false);
  });

  it("follows folders created after start, however deep", async () => {
    const { watcher, seen } = makeWatcher([dir]);
    await watcher.start();
    const deep = join(dir, "2024", "05", "Burst");
    mkdirSync(deep, { recursive: true });
    // Written at once, before chokidar can have a watch on the new folder.
    writeFileSync(join(deep, "now.jpg"), "x");
    await untilSeen(seen, join(deep, "now.jpg"), "add");
    writeFileSync(join(deep, "later.jpg"), "x");
    await untilSeen(seen, join(deep, "later.jpg"), "add");
    // Folders themselves are never reported.
    expect(seen.every((item) => item.path.endsWith(".jpg"))).toBe(true);
  });

  it("skips what the ignore rule rejects, and sees the upload renamed to its final name", async () => {
    const ignored = (path: string) => basename(path).startsWith(".") || path.endsWith(".part");
    const { watcher, seen } = makeWatcher([dir], { ignored });
    await watcher.start();

    const part = join(dir, "IMG_1.jpg.ocTransferId123.part");
    writeFileSync(part, "partial");
    writeFileSync(join(dir, ".hidden.jpg"), "x");
    mkdirSync(join(dir, ".thumbs"));
    writeFileSync(join(dir, ".thumbs", "t.jpg"), "x");
    renameSync(part, join(dir, "IMG_1.jpg"));
    await untilSeen(seen, join(dir, "IMG_1.jpg"), "add");
    await barrier(seen, dir);

    expect(seen.filter((item) => item.path.includes(".part"))).toEqual([]);
    expect(saw(seen, join(dir, ".hidden.jpg"))).toBe(false);
    expect(saw(seen, join(dir, ".thumbs", "t.jpg"))).toBe(false);
  });

  it("is asked about paths inside the roots only, and survives an ignore rule that throws", async () => {
    const asked: string[] = [];
    const root = join(dir, ".root-in-hidden-folder");
    mkdirSync(root);
    const ignored = (path: string) => {
      asked.push(path);
      if (path.endsWith("boom.jpg")) throw new Error("bad rule");
      return false;
    };
    const { watcher, seen } = makeWatcher([root], { ignored });
    await watcher.start();
    writeFileSync(join(root, "boom.jpg"), "x");
    await untilSeen(seen, join(root, "boom.jpg"), "add");
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((path) => path.startsWith(root + "/"))).toBe(true);
    expect(logLines.some((line) => line.msg.includes("ignore rule threw"))).toBe(true);
  });

  it("does not follow a symlink to a folder outside the root, nor report the link", async () => {
    const root = join(dir, "root");
    const outside = join(dir, "outside");
    mkdirSync(root);
    mkdirSync(outside);
    symlinkSync(outside, join(root, "link-before"));
    const { watcher, seen } = makeWatcher([root]);
    await watcher.start();
    symlinkSync(outside, join(root, "link-after"));
    symlinkSync(join(outside, "missing.jpg"), join(root, "dangling.jpg"));
    writeFileSync(join(outside, "target.jpg"), "x");
    appendFileSync(join(outside, "target.jpg"), "more");
    await barrier(seen, root);
    expect(seen.filter((item) => !basename(item.path).startsWith("barrier-"))).toEqual([]);
  });

  it("adds and removes roots live", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    mkdirSync(a);
    mkdirSync(b);
    const { watcher, seen } = makeWatcher([a]);
    await watcher.start();
    await barrier(seen, a);

    await watcher.setRoots([a, b]);
    writeFileSync(join(b, "one.jpg"), "x");
    await untilSeen(seen, join(b, "one.jpg"), "add");

    await watcher.setRoots([b]);
    expect(watcher.status().roots).toEqual([{ root: b, watching: true }]);
    writeFileSync(join(a, "after-removal.jpg"), "x");
    await barrier(seen, b);
    expect(saw(seen, join(a, "after-removal.jpg"))).toBe(false);
  });

  it("reports each file once when one root lies inside another", async () => {
    const inner = join(dir, "InstantUpload");
    mkdirSync(inner);
    expect(normalizeRoots([inner, dir + "/", dir])).toEqual([dir]);
    const { watcher, seen } = makeWatcher([inner, dir]);
    await watcher.start();
    writeFileSync(join(inner, "x.jpg"), "x");
    await untilSeen(seen, join(inner, "x.jpg"), "add");
    await barrier(seen, inner);
    expect(seen.filter((item) => item.path === join(inner, "x.jpg"))).toHaveLength(1);
  });

  it("watches a root that appears after start, reporting files already in it", async () => {
    const files = join(dir, "files");
    mkdirSync(files);
    const instant = join(files, "InstantUpload");
    const deep = join(files, "Deep", "Camera");
    const { watcher, seen } = makeWatcher([instant, deep]);
    await watcher.start();
    expect(watcher.status().roots.every((root) => !root.watching)).toBe(true);

    mkdirSync(instant);
    writeFileSync(join(instant, "first.jpg"), "x");
    await untilSeen(seen, join(instant, "first.jpg"), "add");
    await until(() => watcher.status().roots.some((r) => r.root === instant && r.watching), "");
    writeFileSync(join(instant, "second.jpg"), "x");
    await untilSeen(seen, join(instant, "second.jpg"), "add");

    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "deep.jpg"), "x");
    await untilSeen(seen, join(deep, "deep.jpg"), "add");
  });

  it("notices a root deleted and created again", async () => {
    const root = join(dir, "InstantUpload");
    mkdirSync(root);
    const { watcher, seen } = makeWatcher([root]);
    await watcher.start();
    await barrier(seen, root);

    rmSync(root, { recursive: true });
    await until(() => watcher.status().roots[0]?.watching === false, "the root to be unwatched");
    mkdirSync(root);
    writeFileSync(join(root, "again.jpg"), "x");
    await untilSeen(seen, join(root, "again.jpg"), "add");
    await until(() => watcher.status().roots[0]?.watching === true, "the root to be watched");
  });

  it("re-checks kept roots on setRoots (the reconcile scan's safety net)", async () => {
    const root = join(dir, "InstantUpload");
    mkdirSync(root);
    const { watcher, seen } = makeWatcher([root]);
    await watcher.start();
    // Replaced faster than a sentinel might see: only the inode tells.
    renameSync(root, join(dir, "old"));
    mkdirSync(root);
    await watcher.setRoots([root]);
    expect(watcher.status().roots).toEqual([{ root, watching: true }]);
    writeFileSync(join(root, "new.jpg"), "x");
    await untilSeen(seen, join(root, "new.jpg"), "add");
  });

  it("does not watch a root that is a symlink", async () => {
    const real = join(dir, "real");
    mkdirSync(real);
    const link = join(dir, "link");
    symlinkSync(real, link);
    const { watcher, seen } = makeWatcher([link]);
    await watcher.start();
    expect(watcher.status().roots).toEqual([{ root: link, watching: false }]);
    expect(warnings().some((msg) => msg.includes("not a folder"))).toBe(true);
    writeFileSync(join(real, "x.jpg"), "x");
    // A root that is watched serves as the barrier.
    await watcher.setRoots([link, real]);
    await barrier(seen, real);
    expect(saw(seen, join(link, "x.jpg"))).toBe(false);
  });

  it("polls when asked to (NFS/SMB)", async () => {
    const { watcher, seen } = makeWatcher([dir], { usePolling: true, pollIntervalMs: 50 });
    await watcher.start();
    mkdirSync(join(dir, "sub"));
    const path = join(dir, "sub", "p.jpg");
    writeFileSync(path, "x");
    await untilSeen(seen, path, "add");
    appendFileSync(path, "more");
    await untilSeen(seen, path, "change");
    unlinkSync(path);
    await untilSeen(seen, path, "unlink");
  });

  it("keeps going when onPath throws", async () => {
    const seen: Seen[] = [];
    const { watcher } = makeWatcher([dir], {
      onPath: (path, event) => {
        seen.push({ path, event });
        throw new Error("listener bug");
      },
    });
    await watcher.start();
    writeFileSync(join(dir, "1.jpg"), "x");
    await untilSeen(seen, join(dir, "1.jpg"), "add");
    writeFileSync(join(dir, "2.jpg"), "x");
    await untilSeen(seen, join(dir, "2.jpg"), "add");
    expect(logLines.some((line) => line.msg.includes("listener failed"))).toBe(true);
  });

  it("stop() closes every watcher it opened and reports nothing after", async () => {
    const opened: { handle: WatchHandle; closed: boolean }[] = [];
    const spy: WatchFactory = (directory, options) => {
      const handle = chokidarWatchFactory(directory, options);
      const record = { handle, closed: false };
      opened.push(record);
      const close = handle.close.bind(handle);
      handle.close = () => {
        record.closed = true;
        return close();
      };
      return handle;
    };
    const present = join(dir, "present");
    mkdirSync(present);
    const { watcher, seen } = makeWatcher([present, join(dir, "not-yet")], { watchFactory: spy });
    await watcher.start();
    // present, a sentinel on its parent, and one waiting for not-yet
    expect(opened).toHaveLength(3);
    await watcher.stop();
    expect(opened.every((record) => record.closed)).toBe(true);
    expect(watcher.status()).toEqual({ state: "stopped", roots: [] });

    const control = makeWatcher([present]);
    await control.watcher.start();
    writeFileSync(join(present, "after-stop.jpg"), "x");
    mkdirSync(join(dir, "not-yet"));
    writeFileSync(join(dir, "not-yet", "after-stop.jpg"), "x");
    await barrier(control.seen, present);
    expect(seen).toEqual([]);
    await watcher.stop(); // twice is fine

    // And it can start again.
    await watcher.start();
    writeFileSync(join(present, "restarted.jpg"), "x");
    await untilSeen(seen, join(present, "restarted.jpg"), "add");
  });

  it("stop() right after start() wins", async () => {
    const { watcher, seen } = makeWatcher([dir]);
    const starting = watcher.start();
    await watcher.stop();
    await starting;
    expect(watcher.status().state).toBe("stopped");
    const control = makeWatcher([dir]);
    await control.watcher.start();
    await barrier(control.seen, dir);
    expect(seen).toEqual([]);
  });
});

class FakeHandle extends EventEmitter {
  closed = false;
  constructor(
    readonly directory: string,
    readonly options: ChokidarOptions,
  ) {
    super();
  }
  close(): Promise<void> {
    this.closed = true;
    this.removeAllListeners(); // as chokidar does
    return Promise.resolve();
  }
}

function fakeFactory(behave: (handle: FakeHandle) => void) {
  const handles: FakeHandle[] = [];
  const factory: WatchFactory = (directory, options) => {
    const handle = new FakeHandle(directory, options);
    handles.push(handle);
    setImmediate(() => behave(handle));
    return handle;
  };
  return { factory, handles };
}

function systemError(code: string, path: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, watch '${path}'`), {
    code,
    errno: -1,
    syscall: "watch",
    path,
  });
}

describe("SourceWatcher when watching fails", () => {
  function roots() {
    const a = join(dir, "a");
    const b = join(dir, "b");
    mkdirSync(a);
    mkdirSync(b);
    return [a, b];
  }

  it("degrades once when inotify watches run out, and stays quiet after", async () => {
    const both = roots();
    const [a] = both;
    const { factory, handles } = fakeFactory((handle) => {
      handle.emit(
        "error",
        systemError("ENOSPC", handle.directory, "System limit for number of file watchers reached"),
      );
      handle.emit("error", systemError("ENOSPC", join(handle.directory, "x")));
      handle.emit("ready");
    });
    const { watcher, degraded, seen } = makeWatcher(both, { watchFactory: factory });
    await expect(watcher.start()).resolves.toBeUndefined();

    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatch(/inotify watches/);
    expect(degraded[0]).toMatch(/fs\.inotify\.max_user_watches/);
    expect(degraded[0]).toMatch(/schedule\.watch: false/);
    expect(warnings()).toEqual([degraded[0]]);
    const status = watcher.status();
    expect(status.state).toBe("degraded");
    expect(status.degradedReason).toBe(degraded[0]);
    expect(status.roots.every((root) => !root.watching)).toBe(true);
    expect(handles.length).toBeGreaterThan(0);
    expect(handles.every((handle) => handle.closed)).toBe(true);

    // Late errors and events from closed handles neither throw nor reach the caller.
    for (const handle of handles) {
      expect(() => handle.emit("error", systemError("ENOSPC", handle.directory))).not.toThrow();
      handle.emit("add", join(a!, "late.jpg"));
    }
    await watcher.setRoots(both.map((root) => root + "-more"));
    expect(degraded).toHaveLength(1);
    expect(seen).toEqual([]);
    await watcher.stop();
    expect(watcher.status().state).toBe("stopped");
  });

  it("degrades once when the factory throws synchronously", async () => {
    let calls = 0;
    const throwing: WatchFactory = (directory) => {
      calls++;
      throw systemError("ENOSPC", directory);
    };
    const { watcher, degraded } = makeWatcher(roots(), { watchFactory: throwing });
    await expect(watcher.start()).resolves.toBeUndefined();
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatch(/max_user_watches/);
    await expect(watcher.stop()).resolves.toBeUndefined();
  });

  it("degrades on any synchronous failure, naming it", async () => {
    const { watcher, degraded } = makeWatcher(roots(), {
      watchFactory: () => {
        throw new Error("no watching today");
      },
    });
    await watcher.start();
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatch(/no watching today/);
    expect(degraded[0]).toMatch(/schedule\.watch: false/);
    await watcher.stop();
  });

  it("degrades when file descriptors run out", async () => {
    const { factory } = fakeFactory((handle) => {
      handle.emit("error", systemError("EMFILE", handle.directory, "too many open files"));
      handle.emit("ready");
    });
    const { watcher, degraded } = makeWatcher(roots(), { watchFactory: factory });
    await watcher.start();
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatch(/too many open files \(EMFILE\)/);
    expect(degraded[0]).toMatch(/ulimit/);
    await watcher.stop();
  });

  it("degrades when a root may not be read, but only warns about a folder inside one", async () => {
    const [a, b] = roots();
    const { factory } = fakeFactory((handle) => {
      if (handle.directory === a) {
        handle.emit("error", systemError("EACCES", join(a, "private"), "permission denied"));
        handle.emit("error", systemError("EACCES", join(a, "private"), "permission denied"));
      }
      handle.emit("ready");
    });
    const first = makeWatcher([a!, b!], { watchFactory: factory });
    await first.watcher.start();
    expect(first.degraded).toEqual([]);
    expect(first.watcher.status().state).toBe("running");
    expect(warnings().filter((msg) => msg.includes("permission denied"))).toHaveLength(1);

    const onRoot = fakeFactory((handle) => {
      handle.emit("error", systemError("EACCES", b!, "permission denied"));
      handle.emit("ready");
    });
    const second = makeWatcher([b!], { watchFactory: onRoot.factory });
    await second.watcher.start();
    expect(second.degraded).toHaveLength(1);
    expect(second.degraded[0]).toMatch(/permission denied on .*\/b\b/);
  });

  it("only warns about other errors", async () => {
    const { factory } = fakeFactory((handle) => {
      handle.emit("error", systemError("EIO", handle.directory, "i/o error"));
      handle.emit("ready");
    });
    const { watcher, degraded } = makeWatcher(roots(), { watchFactory: factory });
    await watcher.start();
    expect(degraded).toEqual([]);
    expect(watcher.status().state).toBe("running");
    expect(warnings().some((msg) => msg.includes("EIO"))).toBe(true);
  });

  it("survives an onDegraded listener that throws", async () => {
    const { factory } = fakeFactory((handle) => {
      handle.emit("error", systemError("ENOSPC", handle.directory));
      handle.emit("ready");
    });
    const { watcher } = makeWatcher(roots(), {
      watchFactory: factory,
      onDegraded: () => {
        throw new Error("listener bug");
      },
    });
    await watcher.start();
    expect(watcher.status().state).toBe("degraded");
    expect(logLines.some((line) => line.msg.includes("onDegraded listener failed"))).toBe(true);
    await watcher.stop();
  });

  it("passes the watch options the product needs", async () => {
    const [a] = roots();
    const { factory, handles } = fakeFactory((handle) => handle.emit("ready"));
    const { watcher } = makeWatcher([a!], {
      watchFactory: factory,
      usePolling: true,
      pollIntervalMs: 2500,
    });
    await watcher.start();
    const root = handles.find((handle) => handle.directory === a);
    expect(root?.options).toMatchObject({
      ignoreInitial: true,
      followSymlinks: false,
      atomic: true,
      awaitWriteFinish: false,
      usePolling: true,
      interval: 2500,
      binaryInterval: 2500,
    });
    expect(root?.options.depth).toBeUndefined();
    const sentinel = handles.find((handle) => handle.directory === dir);
    expect(sentinel?.options).toMatchObject({ depth: 0, usePolling: true });
  });
});
