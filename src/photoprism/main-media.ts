import { posix } from "node:path";
import { extensionOf, KNOWN_MEDIA_EXTENSIONS } from "../media/media-types.js";

const mainExtensions = new Set(KNOWN_MEDIA_EXTENSIONS.map((e) => e.extension));

/**
 * A photo or video PhotoPrism imports on its own and dedupes by SHA-1. Anything else (xmp,
 * aae, json, unknown extensions) is a sidecar to PhotoPrism: never deduped, and imported only
 * together with a main file of the same name.
 */
export const isMainMedia = (relative: string): boolean =>
  mainExtensions.has(extensionOf(posix.basename(relative)) ?? "");
