/**
 * PhotoPrism's file types (pkg/fs/file_exts.go, pkg/media/formats.go; reference/photoprism.md
 * §2.5): which extensions are media that can start an import ("main" candidates) and what
 * the log calls them (`moving main jpg file …`). Everything else is a sidecar, including
 * unknown extensions (`fs.TypeUnknown: Sidecar`).
 */
export type MediaKind = "preview" | "image" | "raw" | "heic" | "vector" | "video" | "sidecar";

export interface FileFormat {
  readonly kind: MediaKind;
  /** PhotoPrism's file type as logged, e.g. "jpg", "raw", "heic", "mov", "xmp". */
  readonly type: string;
}

const table = new Map<string, FileFormat>();
function add(kind: MediaKind, type: string, extensions: string): void {
  for (const ext of extensions.split(" ")) table.set(ext, { kind, type });
}

add("preview", "jpg", "jpg jpeg jpe jif jfif jfi");
add("preview", "png", "png apng pnga pn");
add("image", "jxl", "jxl");
add("image", "thm", "thm");
add("image", "tiff", "tif tiff");
add("image", "psd", "psd");
add("image", "gif", "gif");
add("image", "bmp", "bmp");
add("image", "avif", "avif avis avifs");
add("image", "webp", "webp");
add("image", "mpo", "mpo");
add("raw", "dng", "dng");
add(
  "raw",
  "raw",
  "3fr ari arw bay cap crw cr2 cr3 data dcs dcr drf eip erf fff gpr iiq k25 kdc mdc mef mos " +
    "mrw nef nrw obm orf pef ptx pxn r3d raf raw rwl rwz rw2 srf srw sr2 x3f",
);
add("heic", "heic", "hif heif heic avci avcs heifs heics");
add("vector", "svg", "svg");
add("vector", "eps", "ai ps ps2 ps3 eps eps2 eps3 epi ept epsf epsi");
add("video", "mov", "mov qt");
add("video", "mp4", "mp4 m4v mp mpv");
add(
  "video",
  "video",
  "avc hevc vvc evc avi av1 mpg mpeg mjpg mjpeg mp2 mxf 3gp 3g2 flv f4v mkv mts m2ts ogv ogg " +
    "ogx webm asf wmv dv",
);
for (const ext of "xmp aae xml yml yaml json txt nfo md".split(" ")) {
  table.set(ext, { kind: "sidecar", type: ext === "yaml" ? "yml" : ext });
}

/** The lower-case extension with its dot, as Go's `strings.ToLower(filepath.Ext(name))`. */
export function extensionOf(name: string): string {
  const slash = name.lastIndexOf("/");
  const base = name.slice(slash + 1);
  const dot = base.lastIndexOf(".");
  return dot < 0 ? "" : base.slice(dot).toLowerCase();
}

export function formatOf(name: string): FileFormat {
  const ext = extensionOf(name).slice(1);
  return table.get(ext) ?? { kind: "sidecar", type: ext === "" ? "unknown" : ext };
}

/** `media.MainFile`: only these start an import job; sidecars travel with one. */
export function isMainCandidate(name: string): boolean {
  return formatOf(name).kind !== "sidecar";
}

/** Known extensions, stripped from the end of a name to find its related-files prefix. */
export function isKnownExtension(ext: string): boolean {
  return table.has(ext.replace(/^\./, "").toLowerCase());
}

/** `fs.FileNameHidden`: `.x`, `@x`, `_.x` and `__x` (like `__MACOSX`). */
export function isHiddenName(name: string): boolean {
  if (name.length === 0) return false;
  if (name[0] === "." || name[0] === "@") return true;
  return name.startsWith("_.") || name.startsWith("__");
}
