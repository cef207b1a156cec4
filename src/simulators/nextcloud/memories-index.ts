import { hasOption, optionValue } from "./console-input.js";
import type { CommandContext, SimCommand } from "./command.js";
import { isValidPath } from "./tree-scanner.js";
import {
  isMemoriesMedia,
  memoriesFeatures,
  memoriesIndexDefinition,
  type MemoriesFeatures,
} from "./memories-options.js";
import {
  loadFileCache,
  loadMemoriesIndex,
  parentPath,
  saveMemoriesIndex,
  type FileCache,
  type FileCacheEntry,
  type MemoriesIndex,
} from "./sim-state.js";
import { faultFor } from "./simulator-settings.js";
import { listUsers, userExists } from "./users.js";

/**
 * `occ memories:index`. Memories reads folders through Nextcloud's file cache, so only what a
 * files:scan put there is seen, and only files with size > 0. Progress goes to a console
 * section: without a terminal every "Indexing …" text stays, and texts written without a
 * line end run into the next one, exactly as a real non-TTY run prints them.
 */
export function memoriesIndexCommand(version: string): SimCommand {
  return {
    definition: memoriesIndexDefinition(version),
    fromApp: true,
    run: (ctx) => new IndexRun(ctx, version).run(),
  };
}

class IndexRun {
  private readonly cache: FileCache;
  private readonly index: MemoriesIndex;
  private readonly features: MemoriesFeatures;
  private childrenByFolder: Map<string, [string, FileCacheEntry][]> | undefined;

  constructor(
    private readonly ctx: CommandContext,
    version: string,
  ) {
    const { dataDir, instanceId } = ctx.instance;
    this.cache = loadFileCache(dataDir, instanceId);
    this.index = loadMemoriesIndex(dataDir, instanceId);
    this.features = memoriesFeatures(version);
  }

  run(): number {
    const { input, output } = this.ctx;
    try {
      if (hasOption(input, "clear")) this.clear();
      if (hasOption(input, "force")) {
        output.writeln("Forcing refresh of existing index entries");
        for (const entry of Object.values(this.index.entries)) entry.orphan = true;
      }
      if (this.features.retry && hasOption(input, "retry")) {
        output.writeln("<info>Retrying indexing of failed files</info>");
        this.index.failures = {};
      }
      this.forUsers((uid) => this.indexUser(uid, optionValue(input, this.features.pathOption)));
      if (!hasOption(input, "skip-cleanup")) this.cleanupStale();
      const failed = Object.keys(this.index.failures).length;
      if (this.features.retry && failed > 0) {
        output.writeln(`Indexing skipped for ${failed} failed files, use --retry to try again`);
      }
      return 0;
    } catch (error) {
      output.writeln(`<error>${error instanceof Error ? error.message : String(error)}</error>\n`);
      return 1;
    } finally {
      const { dataDir, instanceId } = this.ctx.instance;
      saveMemoriesIndex(dataDir, instanceId, this.index);
    }
  }

  /** A console-section write: no line end unless the text brings one. */
  private log(text: string): void {
    this.ctx.output.write(text);
  }

  private clear(): void {
    const { output } = this.ctx;
    if (this.ctx.interactive) {
      output.writeln("<error>Clearing the index can have unintended consequences like");
      output.writeln("duplicates for some files appearing on the mobile app.");
      output.writeln("Using --force instead of --clear is recommended in most cases.</error>");
      output.write("Are you sure you want to clear the existing index? (y/N): ");
      if (this.ctx.readLine()?.trim() !== "y") throw new Error("Aborting");
    }
    this.index.entries = {};
    this.index.failures = {};
    output.writeln("<info>Cleared existing index</info>");
  }

  private forUsers(index: (uid: string) => void): void {
    const { input, output, instance, disk } = this.ctx;
    const uid = optionValue(input, "user");
    const gid = optionValue(input, "group");
    if (uid) {
      if (userExists(instance, disk, uid)) index(uid);
      else output.writeln(`<error>User ${uid} not found</error>\n`);
    } else if (gid) {
      const members = instance.settings.groups[gid];
      if (members) members.filter((m) => userExists(instance, disk, m)).forEach(index);
      else output.writeln(`<error>Group ${gid} not found</error>\n`);
    } else {
      listUsers(instance, disk).forEach(index);
    }
  }

  private indexUser(uid: string, path: string | undefined): void {
    this.log(`<info>Indexing user ${uid}</info>\n`);
    const requested = path ?? "/";
    const full = `/${uid}/files/${requested}`.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
    const node = isValidPath(requested) ? this.cache.entries[full] : undefined;
    if (!node || (!node.dir && this.features.pathOption === "folder")) {
      this.log(`<error>The specified folder ${requested} does not exist for ${uid}</error>\n`);
      return;
    }
    if (node.dir) this.indexFolder(uid, full);
    else this.indexFile(uid, full, node);
  }

  /** Folder contents by name, as the file cache lists them. */
  private children(folder: string): [string, FileCacheEntry][] {
    if (!this.childrenByFolder) {
      this.childrenByFolder = new Map();
      const sorted = Object.entries(this.cache.entries).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      for (const [path, entry] of sorted) {
        const parent = parentPath(path);
        if (parent === undefined) continue;
        const list = this.childrenByFolder.get(parent) ?? [];
        list.push([path, entry]);
        this.childrenByFolder.set(parent, list);
      }
    }
    return this.childrenByFolder.get(folder) ?? [];
  }

  private indexFolder(uid: string, folder: string): void {
    this.log(`Indexing folder ${folder}`);
    const children = this.children(folder);
    const names = new Set(children.map(([p]) => p.slice(folder.length + 1)));
    if (names.has(".nomedia") || names.has(".nomemories")) {
      this.log(`Skipping folder ${folder} (.nomedia / .nomemories)\n`);
      return;
    }
    const candidates = children
      .filter(([p, e]) => !e.dir && isMemoriesMedia(p) && !/\/\.trashed-[^/]*$/.test(p))
      .filter(([, e]) => e.size > 0 && this.needsIndexing(e))
      .sort(([, a], [, b]) => a.fileid - b.fileid);
    for (const [path, entry] of candidates) this.indexFile(uid, path, entry);
    for (const [path, entry] of children) if (entry.dir) this.indexFolder(uid, path);
  }

  /** Not indexed yet, changed since, or orphaned by --force; and not failed at this mtime. */
  private needsIndexing(entry: FileCacheEntry): boolean {
    const row = this.index.entries[entry.fileid];
    const failure = this.index.failures[entry.fileid];
    if (failure && failure.mtime === entry.mtime) return false;
    return !row || row.mtime !== entry.mtime || row.orphan;
  }

  private indexFile(uid: string, path: string, entry: FileCacheEntry): void {
    this.log(`Indexing file ${path}`);
    if (entry.size <= 0 || !isMemoriesMedia(path)) return;
    const row = this.index.entries[entry.fileid];
    if (row && row.mtime === entry.mtime && !row.orphan) return;
    const fault = faultFor(this.ctx.instance.settings.indexFailures, path);
    if (fault !== undefined) {
      this.ctx.output.writeln(`<error>Failed to index file ${path}: ${fault}</error>\n`);
      this.index.failures[entry.fileid] = { path, mtime: entry.mtime, message: fault };
      return;
    }
    this.index.entries[entry.fileid] = {
      fileid: entry.fileid,
      uid,
      path,
      mtime: entry.mtime,
      orphan: false,
    };
  }

  /** Rows whose file id is no longer in the file cache go. */
  private cleanupStale(): void {
    this.log("<info>Cleaning up stale index entries</info>");
    const live = new Set(Object.values(this.cache.entries).map((e) => e.fileid));
    for (const id of Object.keys(this.index.entries)) {
      if (!live.has(Number(id))) delete this.index.entries[id];
    }
    for (const id of Object.keys(this.index.failures)) {
      if (!live.has(Number(id))) delete this.index.failures[id];
    }
  }
}
