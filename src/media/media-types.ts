export type MediaKind = "photo" | "raw" | "video" | "sidecar";

export interface MediaExtension {
  /** Lower case, without the dot. */
  readonly extension: string;
  readonly kind: MediaKind;
}

/** Extension → kind, as built by `resolveExtensions`. Keys are lower case. */
export type ExtensionTable = ReadonlyMap<string, MediaKind>;

function entries(kind: MediaKind, list: string): MediaExtension[] {
  return list.split(" ").map((extension) => ({ extension, kind }));
}

/**
 * Every main format PhotoPrism imports (its `pkg/media/formats.go`, see
 * shared/reference/photoprism.md §2.5), minus vector graphics. An override may only name
 * these: PhotoPrism types any other extension as a sidecar, so a file ferried under one would
 * never start an import and would sit in the import folder for ever.
 */
export const KNOWN_MEDIA_EXTENSIONS: readonly MediaExtension[] = [
  ...entries(
    "photo",
    "jpg jpeg jpe jif jfif jfi jxl tif tiff psd png apng pnga gif bmp avif avis avifs " +
      "heic heif hif heics heifs avci avcs webp mpo",
  ),
  ...entries(
    "raw",
    "dng 3fr ari arw bay cap crw cr2 cr3 dcs dcr drf eip erf fff gpr iiq k25 kdc mdc mef mos " +
      "mrw nef nrw obm orf pef ptx pxn r3d raf raw rwl rwz rw2 srf srw sr2 x3f",
  ),
  ...entries(
    "video",
    "mov qt mp4 m4v 3gp 3g2 avi mkv webm mts m2ts mpg mpeg mjpg mjpeg mpv mp2 mxf flv f4v " +
      "ogv asf wmv dv avc hevc vvc evc av1",
  ),
];

/** What PhotoPrism itself files as sidecars; any extension outside the media list may be one. */
export const KNOWN_SIDECAR_EXTENSIONS: readonly MediaExtension[] = entries(
  "sidecar",
  "xmp aae json xml yml yaml txt nfo md",
);

/**
 * PRODUCT.md §1 step 2. RAW additions beyond the product list, each a current or recent
 * camera maker's own format that PhotoPrism imports: srw (Samsung), pef (Pentax), nrw (Nikon
 * compacts), rwl (Leica), crw (older Canon), x3f (Sigma). Not `raw`: the name is generic
 * enough (disk images, audio dumps) to pull in files that are not photos.
 */
export const DEFAULT_MEDIA_EXTENSIONS: readonly MediaExtension[] = [
  ...entries("photo", "jpg jpeg png gif webp heic heif avif tif tiff"),
  ...entries("raw", "dng cr2 cr3 nef arw orf rw2 raf srw pef nrw rwl crw x3f"),
  ...entries("video", "mp4 mov m4v 3gp avi mkv"),
];

export const DEFAULT_SIDECAR_EXTENSIONS: readonly MediaExtension[] = entries(
  "sidecar",
  "xmp aae json",
);

export const DEFAULT_EXTENSION_TABLE: ExtensionTable = new Map(
  [...DEFAULT_MEDIA_EXTENSIONS, ...DEFAULT_SIDECAR_EXTENSIONS].map((e) => [e.extension, e.kind]),
);

const knownMedia: ExtensionTable = new Map(
  KNOWN_MEDIA_EXTENSIONS.map((e) => [e.extension, e.kind]),
);
const knownSidecars = new Set(KNOWN_SIDECAR_EXTENSIONS.map((e) => e.extension));

/** The lower-cased text after the last dot; null for none, a trailing dot, or a dot-file. */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

export function classifyName(
  name: string,
  table: ExtensionTable = DEFAULT_EXTENSION_TABLE,
): MediaKind | null {
  const extension = extensionOf(name);
  return extension === null ? null : (table.get(extension) ?? null);
}

/** Known to photoferry in any role, whatever the configured table says. */
export function isKnownExtension(extension: string, table?: ExtensionTable): boolean {
  const lower = extension.toLowerCase();
  return knownMedia.has(lower) || knownSidecars.has(lower) || (table?.has(lower) ?? false);
}

export interface ExtensionProblem {
  list: "media" | "sidecars";
  /** Position in the list given; null for a problem with the whole list. */
  index: number | null;
  message: string;
  fix: string;
}

export type ExtensionsResult =
  { ok: true; table: ExtensionTable } | { ok: false; problems: ExtensionProblem[] };

/** Builds the table from config overrides; a list left undefined keeps its default. */
export function resolveExtensions(overrides: {
  media?: readonly string[];
  sidecars?: readonly string[];
}): ExtensionsResult {
  const problems: ExtensionProblem[] = [];
  const table = new Map<string, MediaKind>();
  const media = overrides.media ?? DEFAULT_MEDIA_EXTENSIONS.map((e) => e.extension);
  const sidecars = overrides.sidecars ?? DEFAULT_SIDECAR_EXTENSIONS.map((e) => e.extension);

  if (media.length === 0) {
    problems.push({
      list: "media",
      index: null,
      message: "the list is empty, so nothing would ever be ferried",
      fix: "name at least one extension, e.g. jpg, or remove the key to use the defaults",
    });
  }
  media.forEach((raw, index) => {
    const problem = shapeProblem(raw);
    const extension = raw.toLowerCase();
    const kind = knownMedia.get(extension);
    if (problem) problems.push({ list: "media", index, ...problem });
    else if (knownSidecars.has(extension)) {
      problems.push({
        list: "media",
        index,
        message: `"${raw}" is a sidecar extension, not a photo or video`,
        fix: "move it to the sidecar list",
      });
    } else if (kind === undefined) {
      problems.push({
        list: "media",
        index,
        message: `"${raw}" is not a photo, RAW or video format PhotoPrism imports, so it would stay in the import folder`,
        fix: "check the spelling (e.g. jpeg, heic, cr3, mp4) or remove it",
      });
    } else table.set(extension, kind);
  });
  sidecars.forEach((raw, index) => {
    const problem = shapeProblem(raw);
    const extension = raw.toLowerCase();
    if (problem) problems.push({ list: "sidecars", index, ...problem });
    else if (knownMedia.has(extension)) {
      problems.push({
        list: "sidecars",
        index,
        message: `"${raw}" is a photo or video format, not a sidecar`,
        fix: "move it to the media list",
      });
    } else table.set(extension, "sidecar");
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, table };
}

function shapeProblem(raw: string): { message: string; fix: string } | null {
  if (raw === "") return { message: "an extension is empty", fix: "remove the empty entry" };
  if (raw.includes("/") || raw.includes("\\")) {
    return {
      message: `"${raw}" contains a slash`,
      fix: "write only the part after the last dot of a file name, e.g. jpg",
    };
  }
  if (raw.includes(".")) {
    const bare = raw.split(".").filter(Boolean).pop() ?? "";
    return {
      message: `"${raw}" contains a dot`,
      fix: bare
        ? `write it without dots: ${bare.toLowerCase()}`
        : "write it without dots, e.g. jpg",
    };
  }
  // \p{C} covers control, format and unassigned characters, none of which end a real name.
  if (/[\s\p{C}]/u.test(raw)) {
    return { message: `"${raw}" contains a space or an invisible character`, fix: "remove it" };
  }
  return null;
}

/** The table from the config's `nextcloud.extensions` / `nextcloud.sidecarExtensions`. */
export function configuredExtensions(nextcloud: {
  extensions?: readonly string[] | undefined;
  sidecarExtensions?: readonly string[] | undefined;
}): ExtensionsResult {
  return resolveExtensions({
    ...(nextcloud.extensions ? { media: nextcloud.extensions } : {}),
    ...(nextcloud.sidecarExtensions ? { sidecars: nextcloud.sidecarExtensions } : {}),
  });
}
