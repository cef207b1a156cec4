/**
 * The simulator's "database": one JSON file under `<storage>/photoprism-sim/`, holding the
 * File entities PhotoPrism would index, albums, import folders seen, and app passwords
 * (only their SHA-256). Each change re-reads the file and replaces it atomically (write to a
 * temporary name, rename), so the CLI and a server in another process both see every change;
 * two processes writing in the same millisecond could still lose one update, as a simulator
 * may.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorCode } from "../../errno.js";

/** `entity.File` as the REST API returns it (the fields photoferry reads, and a few more). */
export interface SimFileEntity {
  UID: string;
  PhotoUID: string;
  /** Path relative to originals, e.g. `2016/11/20161127_133024_353C8F7E.jpg`. */
  Name: string;
  Root: "/";
  /** Path of the file in the import folder it came from, relative to that folder. */
  OriginalName: string;
  Hash: string;
  Size: number;
  FileType: string;
  MediaType: string;
  Primary: boolean;
  Sidecar: boolean;
  Missing: boolean;
  Error: string;
  CreatedAt: string;
  UpdatedAt: string;
}

export interface SimAlbum {
  UID: string;
  Title: string;
  PhotoUIDs: string[];
}

export interface SimAppPassword {
  ClientName: string;
  /** Space-separated scopes; "*" allows all. */
  Scope: string;
  /** The user the secret belongs to (an app password); null for a client access token. */
  UserName: string | null;
  /** SHA-256 of the secret, lower hex. */
  SecretSha256: string;
  CreatedAt: string;
  /** Unix seconds; null for no limit. */
  ExpiresAt: number | null;
}

export interface SimDatabase {
  files: SimFileEntity[];
  albums: SimAlbum[];
  importFolders: string[];
  originalsFolders: string[];
  appPasswords: SimAppPassword[];
}

const emptyDatabase = (): SimDatabase => ({
  files: [],
  albums: [],
  importFolders: [],
  originalsFolders: [],
  appPasswords: [],
});

/** Where the JSON database of a storage folder lives. */
export function simDatabasePath(storagePath: string): string {
  return join(storagePath, "photoprism-sim", "index.json");
}

/** PhotoPrism-style UID: a type letter and 15 lower-case alphanumerics (`f…`, `p…`, `a…`). */
export function newUid(prefix: "f" | "p" | "a"): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(15);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export class SimStore {
  readonly path: string;

  constructor(storagePath: string) {
    this.path = simDatabasePath(storagePath);
  }

  read(): SimDatabase {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") return emptyDatabase();
      throw error;
    }
    try {
      return { ...emptyDatabase(), ...(JSON.parse(text) as Partial<SimDatabase>) };
    } catch {
      throw new Error(
        `The simulator database ${this.path} is not valid JSON; delete it to start empty.`,
      );
    }
  }

  /** Read, change, write back atomically; returns what `change` returned. */
  update<T>(change: (db: SimDatabase) => T): T {
    const db = this.read();
    const result = change(db);
    mkdirSync(join(this.path, ".."), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(db, null, 2)}\n`);
    renameSync(temporary, this.path);
    return result;
  }

  /** `entity.FirstFileByHash`: includes files marked missing. */
  fileByHash(sha1: string): SimFileEntity | undefined {
    return this.read().files.find((f) => f.Hash === sha1);
  }

  /** `query.FileByHash` for the REST API: like PhotoPrism, a missing file is still found. */
  fileByName(name: string): SimFileEntity | undefined {
    return this.read().files.find((f) => f.Name === name);
  }

  /** Inserts or replaces (by Name) a File entity; true when it was new. */
  saveFile(file: SimFileEntity): boolean {
    return this.update((db) => {
      const at = db.files.findIndex((f) => f.Name === file.Name);
      if (at < 0) {
        db.files.push(file);
        return true;
      }
      const previous = db.files[at];
      db.files[at] = {
        ...file,
        UID: previous?.UID ?? file.UID,
        CreatedAt: previous?.CreatedAt ?? file.CreatedAt,
      };
      return false;
    });
  }

  /**
   * `entity.AddPhotoToUserAlbums`: each entry is an album UID or a title; unknown titles
   * create the album.
   */
  addPhotoToAlbums(photoUid: string, albums: readonly string[]): void {
    if (albums.length === 0 || photoUid === "") return;
    this.update((db) => {
      for (const wanted of albums) {
        const name = wanted.trim();
        if (name === "") continue;
        let album = db.albums.find((a) => a.UID === name || a.Title === name);
        if (album === undefined) {
          album = { UID: newUid("a"), Title: name, PhotoUIDs: [] };
          db.albums.push(album);
        }
        if (!album.PhotoUIDs.includes(photoUid)) album.PhotoUIDs.push(photoUid);
      }
    });
  }

  /** Records a folder entity once; true the first time (PhotoPrism logs "added folder" then). */
  addFolder(root: "import" | "originals", path: string): boolean {
    return this.update((db) => {
      const list = root === "import" ? db.importFolders : db.originalsFolders;
      if (list.includes(path)) return false;
      list.push(path);
      return true;
    });
  }
}
