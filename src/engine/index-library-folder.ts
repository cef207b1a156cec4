import { posix } from "node:path";
import type { LibraryFiles, LibraryOrigin } from "../ledger/library-files.js";
import type { DirIndex } from "../scan/dir-index.js";
import { reconcileScan } from "../scan/reconcile-scan.js";
import type { ExtensionTable } from "../media/media-types.js";
import type { Hasher } from "./ferry-pass.js";
import { exifKeyOf } from "./library-lookup.js";

/**
 * Learns what is already in a library folder (PhotoPrism's import or originals folder),
 * read-only and incrementally: unchanged folders are not read again, and a file already
 * known at the same path and size is not hashed again.
 */
export async function indexLibraryFolder(
  root: string,
  origin: LibraryOrigin,
  deps: {
    index: DirIndex;
    library: LibraryFiles;
    hasher: Hasher;
    sha1: boolean;
    now: () => number;
    /** When the `exif` rule is on: the extensions, to read EXIF from photos and RAWs. */
    exif?: ExtensionTable;
  },
): Promise<{ hashed: number; errors: string[] }> {
  let hashed = 0;
  const errors: string[] = [];
  const scan = reconcileScan(root, {
    index: deps.index,
    now: deps.now,
    // Hidden folders hold photoferry's staging and quarantine, and PhotoPrism skips them too.
    ignore: (entry) =>
      entry.relativePath.split("/").some((part) => part.startsWith(".")) ? "hidden" : null,
  });
  for await (const file of scan) {
    const known = deps.library.findAt(origin, file.path);
    // Known at this path and size; with the exif rule on, also its EXIF key (null = never read).
    if (known && known.size === file.size && (!deps.exif || known.exifKey != null)) continue;
    try {
      const hashes = await deps.hasher(file.path, { sha1: deps.sha1 });
      // "" records "read, no usable EXIF", so the file is not read again.
      const exifKey = deps.exif ? ((await exifKeyOf(file.path, deps.exif)) ?? "") : null;
      deps.library.put({
        sha256: hashes.sha256,
        sha1: hashes.sha1 ?? null,
        origin,
        location: file.path,
        name: posix.basename(file.path),
        size: file.size,
        exifKey,
        addedAt: deps.now(),
      });
      hashed++;
    } catch (error) {
      errors.push(`${file.path}: ${(error as Error).message}`);
    }
  }
  return { hashed, errors };
}
