import { lstatSync, readdirSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";

/** What the scanner needs of a directory entry; node's `Dirent` fits. */
export interface ScanDirent {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

/** What the scanner needs of `lstat(path, { bigint: true })`; node's `BigIntStats` fits. */
export interface ScanStats extends Omit<ScanDirent, "name"> {
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
}

/**
 * The scanner's only file system access: it lists directories and lstats entries, and has
 * no way to open a file. Either method may answer synchronously (see `nodeSyncScanFs`).
 * Neither may follow a final symbolic link.
 */
export interface ScanFs {
  readdir(path: string): readonly ScanDirent[] | Promise<readonly ScanDirent[]>;
  lstat(path: string): ScanStats | Promise<ScanStats>;
}

/**
 * node:fs/promises, on libuv's thread pool: the event loop never waits, and a hung network
 * mount stalls only the scan. The default.
 */
export const nodeScanFs: ScanFs = {
  readdir: (path) => readdir(path, { withFileTypes: true }),
  lstat: (path) => lstat(path, { bigint: true }),
};

/**
 * Synchronous calls: 3–5 times faster per entry than the thread pool on a local disk (see
 * bench/scan.bench.mjs), which matters for a first scan of a large tree. The scanner hands
 * the event loop back every few milliseconds, but each call blocks it for as long as the
 * kernel takes, so do not use this on NFS/SMB mounts, where one call can hang for minutes.
 */
export const nodeSyncScanFs: ScanFs = {
  readdir: (path) => readdirSync(path, { withFileTypes: true }),
  lstat: (path) => lstatSync(path, { bigint: true }),
};
