import { diskPath, type Disk, type DiskStat } from "./disk.js";
import { parentPath, removeTree, type FileCache } from "./sim-state.js";
import { faultFor } from "./simulator-settings.js";

/**
 * Nextcloud's scanner (`Files\Utils\Scanner` + `Files\Cache\Scanner`) for one user's home
 * storage: compares the disk below a path with the file cache and brings the cache up to
 * date, reporting every step the way occ files:scan counts it.
 */
export interface ScanEvents {
  /** A file (not a folder) was looked at: the "Files" counter and `-v` "File" line. */
  file(virtualPath: string): void;
  /** A folder's children were listed: the "Folders" counter and `-v` "Folder" line. */
  folder(virtualPath: string): void;
  /** An entry was added to or changed in the cache (Nextcloud reports new ones as updated). */
  updated(virtualPath: string): void;
  removed(virtualPath: string): void;
  /** A name that is not NFC-normalized; `internalPath` is relative to the user's storage. */
  nameMismatch(internalPath: string): void;
}

/** NotFoundException: "Path not found: <message>" */
export class ScanNotFound extends Error {}
/** ForbiddenException: the home storage is not writable for the calling user. */
export class ScanForbidden extends Error {}
/** Any other exception: "Exception during scan: <message>" */
export class ScanFailure extends Error {}

export interface ScanContext {
  disk: Disk;
  dataDir: string;
  cache: FileCache;
  scanFaults: readonly { pathPrefix: string; message: string }[];
  events: ScanEvents;
}

/** `Filesystem::isValidPath`: no ".." path component. */
export function isValidPath(path: string): boolean {
  const normalized = `/${path}`.replace(/\/+/g, "/");
  return !normalized.includes("/../") && !normalized.endsWith("/..");
}

/** `Cache\Scanner::isPartialFile`: unfinished uploads are never scanned. */
export function isPartialFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    (name.includes(".") && name.slice(name.lastIndexOf(".") + 1) === "part") ||
    path.includes(".part/")
  );
}

/**
 * Scans `virtualPath` ("/alice" or "/alice/files/…", already trimmed) for user `uid`.
 * Throws ScanNotFound / ScanForbidden / ScanFailure as Nextcloud's scanner throws.
 */
export function scanUserPath(
  ctx: ScanContext,
  uid: string,
  virtualPath: string,
  recursive: boolean,
): void {
  if (!isValidPath(virtualPath)) throw new ScanFailure("Invalid path to scan");
  const home = `/${uid}`;
  for (const internal of ["", "files"]) {
    const full =
      internal === "" ? `${diskPath(ctx.dataDir, uid, "")}/` : diskPath(ctx.dataDir, uid, internal);
    if (ctx.disk.isCreatable(full)) continue;
    const stat = ctx.disk.stat(full);
    if (!stat?.dir && ctx.cache.entries[internal === "" ? home : `${home}/files`]) {
      throw new ScanNotFound(`User folder ${full} exists in cache but not on disk`);
    }
    if (stat?.dir) {
      const { owner, mode } = ctx.disk.describeOwner(full);
      throw new ScanForbidden(
        `User folder ${full} is not writable, folders is owned by ${owner} and has mode ${mode}`,
      );
    }
    return; // neither on disk nor in the cache: the user has not been set up yet
  }
  const internal = virtualPath === home ? "" : virtualPath.slice(home.length + 1);
  const stat = ctx.disk.stat(diskPath(ctx.dataDir, uid, internal));
  if (!stat) throw new ScanNotFound(virtualPath);
  new TreeScan(ctx, uid).run(internal, stat, recursive);
}

class TreeScan {
  /** Cached children by parent, built once: listing the whole cache per folder would be quadratic. */
  private readonly children = new Map<string, Set<string>>();

  constructor(
    private readonly ctx: ScanContext,
    private readonly uid: string,
  ) {
    for (const path of Object.keys(ctx.cache.entries)) this.link(path);
  }

  run(internal: string, stat: DiskStat, recursive: boolean): void {
    if (!this.scanEntry(internal, stat)) return;
    if (stat.dir) this.scanChildren(internal, recursive);
  }

  private virtual(internal: string): string {
    return internal === "" ? `/${this.uid}` : `/${this.uid}/${internal}`;
  }

  private link(path: string): void {
    const parent = parentPath(path);
    if (parent === undefined) return;
    let names = this.children.get(parent);
    if (!names) this.children.set(parent, (names = new Set()));
    names.add(path.slice(parent.length + 1));
  }

  /** `scanFile`: false when the entry is ignored (a partial upload or `.htaccess`). */
  private scanEntry(internal: string, stat: DiskStat): boolean {
    const name = internal.slice(internal.lastIndexOf("/") + 1);
    if (isPartialFile(internal) || name === ".htaccess") return false;
    const path = this.virtual(internal);
    const fault = faultFor(this.ctx.scanFaults, path);
    if (fault !== undefined) throw new ScanFailure(fault);
    if (!stat.dir) this.ctx.events.file(path);
    const parent = parentPath(path);
    if (parent !== undefined && !this.ctx.cache.entries[parent]) {
      const parentInternal = internal.includes("/")
        ? internal.slice(0, internal.lastIndexOf("/"))
        : "";
      const parentStat = this.ctx.disk.stat(diskPath(this.ctx.dataDir, this.uid, parentInternal));
      if (parentStat) this.scanEntry(parentInternal, parentStat);
    }
    const cached = this.ctx.cache.entries[path];
    const changed =
      !cached ||
      cached.dir !== stat.dir ||
      cached.mtime !== stat.mtime ||
      (!stat.dir && cached.size !== stat.size);
    if (changed) {
      const fileid = cached?.fileid ?? this.ctx.cache.nextFileId++;
      this.ctx.cache.entries[path] = {
        fileid,
        size: stat.dir ? 0 : stat.size,
        mtime: stat.mtime,
        dir: stat.dir,
      };
      if (!cached) this.link(path);
      this.ctx.events.updated(path);
    }
    return true;
  }

  private scanChildren(internal: string, recursive: boolean): void {
    const folder = this.virtual(internal);
    this.ctx.events.folder(folder);
    const onDisk = new Set<string>();
    const queue: string[] = [];
    for (const name of this.ctx.disk.list(diskPath(this.ctx.dataDir, this.uid, internal)).sort()) {
      const child = internal === "" ? name : `${internal}/${name}`;
      if (name !== name.normalize("NFC")) {
        this.ctx.events.nameMismatch(child);
        continue;
      }
      onDisk.add(name);
      const stat = this.ctx.disk.stat(diskPath(this.ctx.dataDir, this.uid, child));
      if (!stat) continue;
      if (this.scanEntry(child, stat) && stat.dir && recursive) queue.push(child);
    }
    for (const name of [...(this.children.get(folder) ?? [])]) {
      if (onDisk.has(name)) continue;
      const gone = `${folder}/${name}`;
      removeTree(this.ctx.cache, gone);
      this.children.get(folder)?.delete(name);
      this.ctx.events.removed(gone);
    }
    for (const child of queue) this.scanChildren(child, recursive);
  }
}
