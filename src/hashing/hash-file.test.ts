import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, openSync, closeSync, writeSync } from "node:fs";
import {
  mkdir,
  mkdtemp,
  readdir,
  rm,
  stat,
  symlink,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileChangedError, NotRegularFileError, SymlinkRefusedError } from "./errors.js";
import { hashFile } from "./hash-file.js";

// Known answers (FIPS 180 examples and the empty message).
const ABC = {
  sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
};
const EMPTY = {
  sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
};

let dir: string;
let big: { path: string; bytes: Buffer };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "photoferry-hash-file-"));
  await writeFile(join(dir, "abc.txt"), "abc");
  await writeFile(join(dir, "empty.jpg"), "");
  big = { path: join(dir, "IMG_0001.jpg"), bytes: randomBytes(5 * 1000 * 1000 + 17) };
  await writeFile(big.path, big.bytes);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function digest(algorithm: "sha256" | "sha1", bytes: Buffer): string {
  return createHash(algorithm).update(bytes).digest("hex");
}

async function openFdCount(): Promise<number> {
  return (await readdir("/proc/self/fd")).length;
}

describe("hashFile", () => {
  it("hashes 'abc' and an empty file to the known vectors", async () => {
    await expect(hashFile(join(dir, "abc.txt"), { sha1: true })).resolves.toMatchObject({
      ...ABC,
      size: 3,
    });
    await expect(hashFile(join(dir, "empty.jpg"), { sha1: true })).resolves.toMatchObject({
      ...EMPTY,
      size: 0,
    });
  });

  it("computes SHA-1 only when asked", async () => {
    const hashes = await hashFile(join(dir, "abc.txt"));
    expect(hashes.sha256).toBe(ABC.sha256);
    expect("sha1" in hashes).toBe(false);
    expect(await hashFile(join(dir, "abc.txt"), { sha1: false })).not.toHaveProperty("sha1");
  });

  it("matches in-process crypto on a 5 MB random file, whatever the read size", async () => {
    const expected = {
      sha256: digest("sha256", big.bytes),
      sha1: digest("sha1", big.bytes),
      size: big.bytes.length,
      mtimeMs: (await stat(big.path)).mtimeMs,
    };
    expect(await hashFile(big.path, { sha1: true })).toEqual(expected);
    // A read size that divides nothing evenly, and one larger than the file.
    expect(await hashFile(big.path, { sha1: true, highWaterMark: 4099 })).toEqual(expected);
    expect(await hashFile(big.path, { sha1: true, highWaterMark: 8 << 20 })).toEqual(expected);
  });

  it("reports progress after each chunk", async () => {
    const seen: number[] = [];
    await hashFile(big.path, { highWaterMark: 2 << 20, onProgress: (n) => void seen.push(n) });
    expect(seen).toEqual([2 << 20, 4 << 20, big.bytes.length]);
  });

  it("refuses a symlink, even one to a good file, with a clear ELOOP error", async () => {
    const link = join(dir, "link.jpg");
    await symlink(big.path, link);
    const error = await hashFile(link).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SymlinkRefusedError);
    expect(error).toMatchObject({ code: "ELOOP", path: link });
    expect((error as Error).message).toContain("is a symbolic link");
    expect((error as Error).cause).toMatchObject({ code: "ELOOP", syscall: "open" });

    const dangling = join(dir, "dangling.jpg");
    await symlink(join(dir, "nowhere.jpg"), dangling);
    await expect(hashFile(dangling)).rejects.toBeInstanceOf(SymlinkRefusedError);
  });

  it("passes Node's errors through with their code and path", async () => {
    const missing = join(dir, "missing.jpg");
    await expect(hashFile(missing)).rejects.toMatchObject({ code: "ENOENT", path: missing });
    await expect(hashFile(join(dir, "abc.txt", "x.jpg"))).rejects.toMatchObject({
      code: "ENOTDIR",
    });
  });

  it.skipIf(process.getuid?.() === 0)("reports EACCES for an unreadable file", async () => {
    const locked = join(dir, "locked.jpg");
    await writeFile(locked, "secret", { mode: 0o000 });
    await expect(hashFile(locked)).rejects.toMatchObject({ code: "EACCES", path: locked });
  });

  it("refuses directories and FIFOs without hanging on the FIFO", async () => {
    const sub = join(dir, "folder.jpg");
    await mkdir(sub);
    await expect(hashFile(sub)).rejects.toMatchObject({
      name: "NotRegularFileError",
      code: "ERR_NOT_REGULAR_FILE",
      kind: "directory",
    });
    const fifo = join(dir, "pipe.jpg");
    execFileSync("mkfifo", [fifo]);
    const error = await hashFile(fifo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotRegularFileError);
    expect(error).toMatchObject({ kind: "FIFO" });
    expect((error as Error).message).toBe(`Cannot hash ${fifo}: it is a FIFO, not a regular file`);
  });

  it("detects a file that grows while it is read", async () => {
    const path = join(dir, "growing.mov");
    await writeFile(path, randomBytes(64 * 1024));
    const error = await hashFile(path, {
      highWaterMark: 16 * 1024,
      // A writer appends between two reads.
      onProgress: (n) => {
        if (n === 16 * 1024) appendFileSync(path, randomBytes(1000));
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toMatchObject({
      code: "ERR_FILE_CHANGED",
      path,
      bytesRead: 64 * 1024,
      before: { size: 64 * 1024 },
      after: { size: 64 * 1024 + 1000 },
    });
    expect((error as Error).message).toContain(
      `${path} changed while it was being read (size 65536 -> 66536 bytes`,
    );
  });

  it("detects a file rewritten in place (same size) and one truncated while it is read", async () => {
    const path = join(dir, "rewritten.jpg");
    await writeFile(path, randomBytes(64 * 1024));
    const rewritten = hashFile(path, {
      highWaterMark: 16 * 1024,
      onProgress: async (n) => {
        if (n !== 16 * 1024) return;
        const fd = openSync(path, "r+");
        writeSync(fd, randomBytes(100), 0, 100, 40_000);
        closeSync(fd);
        // Coarse timestamps could leave mtime as it was; make the change visible for sure.
        await utimes(path, new Date(), new Date(Date.now() + 5000));
      },
    });
    await expect(rewritten).rejects.toMatchObject({
      name: "FileChangedError",
      before: { size: 64 * 1024 },
      after: { size: 64 * 1024 },
      message: expect.stringContaining("modified") as unknown,
    });

    const truncated = hashFile(path, {
      highWaterMark: 16 * 1024,
      onProgress: (n) => (n === 16 * 1024 ? truncate(path, 20_000) : undefined),
    });
    await expect(truncated).rejects.toMatchObject({
      name: "FileChangedError",
      bytesRead: 20_000,
      after: { size: 20_000 },
    });
  });

  it("stops when aborted, and does not even open the file if aborted before", async () => {
    const controller = new AbortController();
    const aborted = hashFile(big.path, {
      highWaterMark: 1 << 20,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(
      hashFile(join(dir, "missing.jpg"), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects a nonsensical read size", async () => {
    await expect(hashFile(big.path, { highWaterMark: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(hashFile(big.path, { highWaterMark: 1.5 })).rejects.toBeInstanceOf(RangeError);
  });

  it("closes the file on every path, success or failure", async () => {
    const folder = join(dir, "another-folder");
    await mkdir(folder);
    const before = await openFdCount();
    await hashFile(big.path);
    await hashFile(folder).catch(() => undefined);
    await hashFile(join(dir, "missing.jpg")).catch(() => undefined);
    const controller = new AbortController();
    await hashFile(big.path, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch(() => undefined);
    expect(await openFdCount()).toBe(before);
  });
});
