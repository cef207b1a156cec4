import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  FileChangedError,
  HashPoolStoppedError,
  HashWorkerCrashedError,
  NotRegularFileError,
  SymlinkRefusedError,
} from "./errors.js";
import { hashFile } from "./hash-file.js";
import { HashPool } from "./hash-pool.js";

let dir: string;
const pools: HashPool[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "photoferry-hash-pool-"));
  await writeFile(join(dir, "abc.txt"), "abc");
  await writeFile(join(dir, "empty.jpg"), "");
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function newPool(options?: ConstructorParameters<typeof HashPool>[0]): HashPool {
  const pool = new HashPool(options);
  pools.push(pool);
  pool.start();
  return pool;
}

async function randomFile(name: string, size: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, randomBytes(size));
  return path;
}

/** See HashJobMessage.gate: the worker pauses after its first chunk until released. */
function newGate(): { buffer: SharedArrayBuffer; paused(): Promise<void>; release(): void } {
  const buffer = new SharedArrayBuffer(4);
  const gate = new Int32Array(buffer);
  return {
    buffer,
    paused: () =>
      vi.waitFor(
        () => {
          if (Atomics.load(gate, 0) !== 1) throw new Error("the worker has not paused yet");
        },
        { timeout: 10_000, interval: 5 },
      ),
    release() {
      Atomics.store(gate, 0, 2);
      Atomics.notify(gate, 0);
    },
  };
}

describe("HashPool", () => {
  it("hashes the known vectors on worker threads, SHA-1 only when asked", async () => {
    const pool = newPool({ workers: 2 });
    await expect(pool.hash(join(dir, "abc.txt"), { sha1: true })).resolves.toMatchObject({
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
      size: 3,
    });
    await expect(pool.hash(join(dir, "empty.jpg"), { sha1: true })).resolves.toMatchObject({
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      size: 0,
    });
    expect(await pool.hash(join(dir, "abc.txt"))).not.toHaveProperty("sha1");
  });

  it("gives exactly hashFile's results for many files hashed at once", async () => {
    const sizes = [0, 1, 4095, 4096, 1 << 20, (1 << 20) - 1, (1 << 20) + 1, 5_000_000];
    const paths = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        randomFile(`many-${i}.jpg`, sizes[i % sizes.length] ?? 1),
      ),
    );
    const pool = newPool({ workers: 3 });
    const [fromPool, inProcess] = await Promise.all([
      Promise.all(paths.map((path, i) => pool.hash(path, { sha1: i % 2 === 0 }))),
      Promise.all(paths.map((path, i) => hashFile(path, { sha1: i % 2 === 0 }))),
    ]);
    expect(fromPool).toEqual(inProcess);
  });

  it("spreads the work over its threads and queues the rest in order", async () => {
    const paths = await Promise.all(
      Array.from({ length: 12 }, (_, i) => randomFile(`queue-${i}.jpg`, 300_000)),
    );
    const pool = newPool({ workers: 2 });
    expect(pool.threadsForTest).toHaveLength(2);
    const finished: number[] = [];
    const jobs = paths.map((path, i) => pool.hash(path).then(() => finished.push(i)));
    expect(pool.pending).toBe(12);
    await Promise.all(jobs);
    expect(pool.pending).toBe(0);
    expect(finished).toHaveLength(12);
    // FIFO: a job never finishes before one queued two places earlier (two workers).
    finished.forEach((job, position) => expect(job).toBeLessThanOrEqual(position + 1));
  });

  it("returns the errors hashFile would throw, code and class included", async () => {
    const pool = newPool({ workers: 2 });
    const missing = join(dir, "missing.jpg");
    const enoent = await pool.hash(missing).catch((e: unknown) => e);
    expect(enoent).toBeInstanceOf(Error);
    expect(enoent).toMatchObject({ code: "ENOENT", syscall: "open", path: missing });
    expect((enoent as Error).message).toContain("no such file or directory");

    await expect(pool.hash(join(dir, "abc.txt", "x.jpg"))).rejects.toMatchObject({
      code: "ENOTDIR",
    });

    const link = join(dir, "pool-link.jpg");
    await symlink(join(dir, "abc.txt"), link);
    const refused = await pool.hash(link).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SymlinkRefusedError);
    expect(refused).toMatchObject({ code: "ELOOP", path: link, cause: { code: "ELOOP" } });

    const folder = join(dir, "pool-folder");
    await mkdir(folder);
    const notFile = await pool.hash(folder).catch((e: unknown) => e);
    expect(notFile).toBeInstanceOf(NotRegularFileError);
    expect(notFile).toMatchObject({ kind: "directory" });

    await expect(pool.hash("")).rejects.toBeInstanceOf(TypeError);
  });

  it("detects a file that grows while a worker reads it", async () => {
    const path = await randomFile("growing.mov", 64 * 1024);
    const pool = newPool({ workers: 1, highWaterMark: 4096 });
    const gate = newGate();
    const hashing = pool.hashWithTestGate(path, { sha1: true }, gate.buffer);
    await gate.paused();
    appendFileSync(path, randomBytes(1000));
    gate.release();
    const error = await hashing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toMatchObject({
      code: "ERR_FILE_CHANGED",
      path,
      bytesRead: 64 * 1024,
      before: { size: 64 * 1024 },
      after: { size: 64 * 1024 + 1000 },
    });
    expect((error as Error).message).toContain("changed while it was being read");
  });

  it("aborts running and queued jobs and keeps working", async () => {
    // Sparse, so it costs no disk; reading all 8 GiB 4 KiB at a time would take far longer than
    // the test timeout, so `after` only resolves if the worker really stops at the abort.
    const path = join(dir, "abort.mov");
    await writeFile(path, "");
    await truncate(path, 8 * 1024 ** 3);
    const pool = newPool({ workers: 1, highWaterMark: 4096 });
    const gate = newGate();
    const controller = new AbortController();
    const running = pool.hashWithTestGate(path, { signal: controller.signal }, gate.buffer);
    const queued = pool.hash(path, { signal: controller.signal });
    const after = pool.hash(join(dir, "abc.txt"));
    await gate.paused();
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    gate.release(); // the worker sees the abort flag at its next chunk
    await expect(after).resolves.toMatchObject({ size: 3 });
    await expect(
      pool.hash(join(dir, "abc.txt"), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(pool.pending).toBe(0);
  });

  it("replaces a worker that dies mid-file; only that file fails", async () => {
    const path = await randomFile("crash.jpg", 64 * 1024);
    const pool = newPool({ workers: 1, highWaterMark: 4096 });
    const gate = newGate();
    const doomed = pool.hashWithTestGate(path, {}, gate.buffer);
    const queued = pool.hash(path);
    await gate.paused();
    const [worker] = pool.threadsForTest;
    await worker?.terminate();
    const error = await doomed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HashWorkerCrashedError);
    expect(error).toMatchObject({ code: "ERR_HASH_WORKER_CRASHED", path });
    expect((error as Error).message).toContain("the hash worker thread died (exit code 1)");
    await expect(queued).resolves.toEqual(await hashFile(path));
    expect(pool.threadsForTest).toHaveLength(1);
    expect(pool.threadsForTest[0]).not.toBe(worker);
  });

  it("replaces a worker that dies of an uncaught exception while idle", async () => {
    const pool = newPool({ workers: 1 });
    await pool.hash(join(dir, "abc.txt"));
    const [worker] = pool.threadsForTest;
    worker?.postMessage(null); // the worker's message handler throws on it
    await vi.waitFor(() => expect(pool.threadsForTest[0]).not.toBe(worker));
    await expect(pool.hash(join(dir, "abc.txt"))).resolves.toMatchObject({ size: 3 });
  });

  it("stop() lets running jobs finish, rejects queued ones, then refuses new ones", async () => {
    const path = await randomFile("stop.jpg", 64 * 1024);
    const pool = newPool({ workers: 1, highWaterMark: 4096 });
    const gate = newGate();
    const running = pool.hashWithTestGate(path, {}, gate.buffer);
    const queued = pool.hash(path);
    await gate.paused();
    let stopped = false;
    const stopping = pool.stop().then(() => (stopped = true));
    await expect(queued).rejects.toBeInstanceOf(HashPoolStoppedError);
    await expect(pool.hash(path)).rejects.toMatchObject({ code: "ERR_HASH_POOL_STOPPED" });
    expect(stopped).toBe(false);
    gate.release();
    await expect(running).resolves.toEqual(await hashFile(path));
    await stopping;
    expect(pool.threadsForTest).toHaveLength(0);
    await pool.stop(); // idempotent
    expect(() => pool.start()).toThrow(/cannot be started again/);
  });

  it("starts on first use, and stopping an unused pool is a no-op", async () => {
    const lazy = new HashPool({ workers: 1 });
    pools.push(lazy);
    await expect(lazy.hash(join(dir, "abc.txt"))).resolves.toMatchObject({ size: 3 });
    const unused = new HashPool();
    expect(unused.workerCount).toBeGreaterThanOrEqual(1);
    await unused.stop();
    await expect(unused.hash(join(dir, "abc.txt"))).rejects.toBeInstanceOf(HashPoolStoppedError);
  });

  it("rejects nonsensical options", () => {
    expect(() => new HashPool({ workers: 0 })).toThrow(RangeError);
    expect(() => new HashPool({ workers: 1.5 })).toThrow(RangeError);
    expect(() => new HashPool({ highWaterMark: -1 })).toThrow(RangeError);
  });
});
