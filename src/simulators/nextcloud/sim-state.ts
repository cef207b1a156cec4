import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorCode } from "../../errno.js";
import { stateDirOf, writeFileAtomic } from "./instance.js";

/**
 * The simulator's database, kept as JSON under `<datadir>/appdata_<instanceid>/photoferry-sim/`:
 * the file cache (`oc_filecache`) and the Memories index. Keys of the file cache are Nextcloud
 * virtual paths (`/alice/files/Photos/a.jpg`), like the paths occ prints.
 */
export interface FileCacheEntry {
  fileid: number;
  /** Bytes; for a folder the sum of the files below it. */
  size: number;
  /** Seconds, as Nextcloud stores storage_mtime. */
  mtime: number;
  dir: boolean;
}

export interface FileCache {
  nextFileId: number;
  entries: Record<string, FileCacheEntry>;
}

export interface MemoriesEntry {
  fileid: number;
  uid: string;
  path: string;
  mtime: number;
  /** Set by `--force`; an orphan is indexed again. */
  orphan: boolean;
}

export interface MemoriesFailure {
  path: string;
  mtime: number;
  message: string;
}

export interface MemoriesIndex {
  entries: Record<string, MemoriesEntry>;
  failures: Record<string, MemoriesFailure>;
}

const fileCacheName = "filecache.json";
const memoriesName = "memories.json";

export function loadFileCache(dataDir: string, instanceId: string): FileCache {
  return (
    readJson<FileCache>(join(stateDirOf(dataDir, instanceId), fileCacheName)) ?? {
      nextFileId: 1,
      entries: {},
    }
  );
}

export function saveFileCache(dataDir: string, instanceId: string, cache: FileCache): void {
  writeState(dataDir, instanceId, fileCacheName, { ...cache, entries: withFolderSizes(cache) });
}

export function loadMemoriesIndex(dataDir: string, instanceId: string): MemoriesIndex {
  return (
    readJson<MemoriesIndex>(join(stateDirOf(dataDir, instanceId), memoriesName)) ?? {
      entries: {},
      failures: {},
    }
  );
}

export function saveMemoriesIndex(dataDir: string, instanceId: string, index: MemoriesIndex): void {
  writeState(dataDir, instanceId, memoriesName, index);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw new Error(
      `Cannot read the simulator state ${path}: ${String(error)}. Delete it to reset.`,
    );
  }
}

function writeState(dataDir: string, instanceId: string, name: string, value: unknown): void {
  const dir = stateDirOf(dataDir, instanceId);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, name), JSON.stringify(value, null, 1) + "\n");
}

/** Folder sizes as Nextcloud propagates them: the sum of the file sizes below. */
function withFolderSizes(cache: FileCache): Record<string, FileCacheEntry> {
  const entries: Record<string, FileCacheEntry> = {};
  for (const [path, entry] of Object.entries(cache.entries)) {
    entries[path] = entry.dir ? { ...entry, size: 0 } : { ...entry };
  }
  for (const [path, entry] of Object.entries(entries)) {
    if (entry.dir) continue;
    for (let parent = parentPath(path); parent !== undefined; parent = parentPath(parent)) {
      const folder = entries[parent];
      if (folder) folder.size += entry.size;
    }
  }
  return entries;
}

/** "/alice/files/a" → "/alice/files"; the user root "/alice" has no parent. */
export function parentPath(virtualPath: string): string | undefined {
  const cut = virtualPath.lastIndexOf("/");
  return cut > 0 ? virtualPath.slice(0, cut) : undefined;
}

/** Removes an entry and everything below it. */
export function removeTree(cache: FileCache, virtualPath: string): void {
  for (const path of Object.keys(cache.entries)) {
    if (path === virtualPath || path.startsWith(`${virtualPath}/`)) delete cache.entries[path];
  }
}

/** The direct children of a folder in the cache, by name. */
export function cachedChildren(cache: FileCache, folder: string): Map<string, FileCacheEntry> {
  const children = new Map<string, FileCacheEntry>();
  const prefix = `${folder}/`;
  for (const [path, entry] of Object.entries(cache.entries)) {
    if (path.startsWith(prefix) && !path.slice(prefix.length).includes("/")) {
      children.set(path.slice(prefix.length), entry);
    }
  }
  return children;
}
