import { posix } from "node:path";
import type { LibraryFiles } from "../ledger/library-files.js";
import { readExifSignature, signatureKey } from "../media/exif-signature.js";
import { classifyName, type ExtensionTable } from "../media/media-types.js";
import type { DuplicateMatch, PlanFile } from "../plan/plan-groups.js";

/** PhotoPrism's own index, asked by SHA-1 (its client arrives with the indexing chain). */
export interface PhotoPrismLookup {
  findBySha1(sha1: string): Promise<{ where: string } | null>;
}

/**
 * Answers "is this content already in the library?" for the planner, synchronously: the
 * slow look-ups (PhotoPrism over HTTP) are made in `prepare` for all files at once.
 */
export class LibraryLookup {
  private readonly photoprism = new Map<string, { where: string }>();

  constructor(
    private readonly library: LibraryFiles,
    private readonly options: { nameSize: boolean; exif: boolean; photoprism?: PhotoPrismLookup },
  ) {}

  async prepare(files: readonly PlanFile[]): Promise<void> {
    const lookup = this.options.photoprism;
    if (!lookup) return;
    for (const file of files) {
      if (
        !file.sha1 ||
        this.photoprism.has(file.sha1) ||
        (file.sha256 && this.library.findBySha256(file.sha256))
      )
        continue;
      const found = await lookup.findBySha1(file.sha1);
      if (found) this.photoprism.set(file.sha1, found);
    }
  }

  find(file: PlanFile): DuplicateMatch | null {
    if (file.sha256) {
      const known = this.library.findBySha256(file.sha256);
      if (known) return { rule: "hash", where: known.location };
    }
    const inPhotoPrism = file.sha1 ? this.photoprism.get(file.sha1) : undefined;
    if (inPhotoPrism) return { rule: "photoprism", where: inPhotoPrism.where };
    if (this.options.exif && file.exifKey) {
      const sameShot = this.library.findByExifKey(file.exifKey);
      if (sameShot) return { rule: "exif", where: sameShot.location };
    }
    if (this.options.nameSize) {
      const same = this.library.findByNameAndSize(file.name, file.size);
      if (same) return { rule: "name-size", where: same.location };
    }
    return null;
  }
}

/**
 * The `exif` rule's key: capture time, camera and dimensions, prefixed by the kind of file so
 * a RAW never matches its own JPEG. Null for videos, sidecars and files without full EXIF.
 */
export async function exifKeyOf(path: string, table: ExtensionTable): Promise<string | null> {
  const kind = classifyName(posix.basename(path), table);
  if (kind !== "photo" && kind !== "raw") return null;
  const signature = await readExifSignature(path);
  return signature ? `${kind}:${signatureKey(signature)}` : null;
}
