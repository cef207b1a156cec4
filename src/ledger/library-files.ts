import type Database from "better-sqlite3";

/** Where photoferry learnt that some content is in PhotoPrism's library. */
export type LibraryOrigin = "ferried" | "import-folder" | "originals" | "photoprism";

export interface LibraryFile {
  sha256: string;
  sha1: string | null;
  origin: LibraryOrigin;
  /** A path (published file, originals file) or an id that locates it. */
  location: string;
  name: string;
  size: number;
  /** Capture time, camera and dimensions (see media/exif-signature.ts), when known. */
  exifKey?: string | null;
  addedAt: number;
}

interface Row {
  sha256: string;
  sha1: string | null;
  origin: LibraryOrigin;
  location: string;
  name: string;
  size: number;
  exif_key: string | null;
  added_at: number;
}

const fromRow = (row: Row): LibraryFile => ({
  sha256: row.sha256,
  sha1: row.sha1,
  origin: row.origin,
  location: row.location,
  name: row.name,
  size: row.size,
  exifKey: row.exif_key,
  addedAt: row.added_at,
});

/** Content known to be in the library, for deduplication. */
export class LibraryFiles {
  private readonly bySha256;
  private readonly byNameSize;
  private readonly byExif;
  private readonly putStatement;
  private readonly removeStatement;
  private readonly atStatement;

  constructor(db: Database.Database) {
    this.bySha256 = db.prepare<[string], Row>(
      "SELECT * FROM library_files WHERE sha256 = ? ORDER BY added_at LIMIT 1",
    );
    this.byNameSize = db.prepare<[string, number], Row>(
      "SELECT * FROM library_files WHERE name = ? AND size = ? ORDER BY added_at LIMIT 1",
    );
    this.byExif = db.prepare<[string], Row>(
      "SELECT * FROM library_files WHERE exif_key = ? ORDER BY added_at LIMIT 1",
    );
    this.putStatement = db.prepare(
      `INSERT INTO library_files (sha256, sha1, origin, location, name, size, exif_key, added_at)
       VALUES (@sha256, @sha1, @origin, @location, @name, @size, @exifKey, @addedAt)
       ON CONFLICT (origin, location) DO UPDATE SET sha256 = excluded.sha256,
         sha1 = excluded.sha1, name = excluded.name, size = excluded.size,
         exif_key = excluded.exif_key`,
    );
    this.atStatement = db.prepare<[string, string], Row>(
      "SELECT * FROM library_files WHERE origin = ? AND location = ?",
    );
    this.removeStatement = db.prepare(
      "DELETE FROM library_files WHERE origin = ? AND location = ?",
    );
  }

  findBySha256(sha256: string): LibraryFile | undefined {
    const row = this.bySha256.get(sha256);
    return row ? fromRow(row) : undefined;
  }

  findByNameAndSize(name: string, size: number): LibraryFile | undefined {
    const row = this.byNameSize.get(name, size);
    return row ? fromRow(row) : undefined;
  }

  findAt(origin: LibraryOrigin, location: string): LibraryFile | undefined {
    const row = this.atStatement.get(origin, location);
    return row ? fromRow(row) : undefined;
  }

  findByExifKey(exifKey: string): LibraryFile | undefined {
    if (exifKey === "") return undefined;
    const row = this.byExif.get(exifKey);
    return row ? fromRow(row) : undefined;
  }

  put(file: LibraryFile): void {
    this.putStatement.run({ ...file, exifKey: file.exifKey ?? null });
  }

  remove(origin: LibraryOrigin, location: string): void {
    this.removeStatement.run(origin, location);
  }
}
