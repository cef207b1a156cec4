import {
  DEFAULT_EXTENSION_TABLE,
  classifyName,
  extensionOf,
  isKnownExtension,
  type ExtensionTable,
  type MediaKind,
} from "./media-types.js";

export interface GroupInput {
  name: string;
  size: number;
  mtimeMs: number;
}

export type GroupKind = "single" | "live-photo" | "raw-jpeg" | "orphan-sidecar";

export type MemberRole =
  | "primary"
  | "live-video" // a video beside a still: Live Photo movie
  | "video" // another video with the primary video's name
  | "raw" // a RAW that is not the primary
  | "jpeg" // a JPEG that is not the primary (the camera's JPEG of a RAW+JPEG pair)
  | "still" // any other still that is not the primary
  | "edited" // Apple's edited version, IMG_E1234.* beside IMG_1234.*
  | "sidecar";

export interface GroupMember {
  name: string;
  role: MemberRole;
}

export interface FileGroup {
  kind: GroupKind;
  primary: string;
  /** The primary first, then the others by name. */
  members: GroupMember[];
  totalSize: number;
  newestMtimeMs: number;
}

interface Classified {
  file: GroupInput;
  kind: MediaKind;
  extension: string | null;
  edited: boolean;
}

/**
 * The name files are grouped by: without its extension and one more known extension (so
 * `IMG_1.JPG.xmp`, `IMG_1.jpg.json` and `IMG_1.xmp` all join `IMG_1.JPG`, as in PhotoPrism's
 * `BasePrefix`), in NFC and lower case so `IMG_1.HEIC` and `img_1.mov` pair up.
 */
export function groupKey(
  name: string,
  extensions: ExtensionTable = DEFAULT_EXTENSION_TABLE,
): string {
  const extension = extensionOf(name);
  let base = extension === null ? name : name.slice(0, -extension.length - 1);
  // Google Takeout since 2024: IMG_1.jpg.supplemental-metadata.json.
  if (extension === "json") base = base.replace(/\.supplemental-metadata$/i, "");
  const inner = extensionOf(base);
  if (inner !== null && isKnownExtension(inner, extensions)) {
    base = base.slice(0, -inner.length - 1);
  }
  return base.normalize("NFC").toLowerCase();
}

/** Groups the files of one directory; every file lands in exactly one group. */
export function groupFiles(
  files: readonly GroupInput[],
  extensions: ExtensionTable = DEFAULT_EXTENSION_TABLE,
): FileGroup[] {
  const keyed = files.map((file) => ({
    file,
    key: groupKey(file.name, extensions),
    // Unknown extensions travel like sidecars, as PhotoPrism types them.
    kind: classifyName(file.name, extensions) ?? "sidecar",
    extension: extensionOf(file.name),
  }));
  const mainKeys = new Set(keyed.filter((f) => f.kind !== "sidecar").map((f) => f.key));

  const withMain = new Map<string, { mains: Classified[]; sidecars: Classified[] }>();
  const orphans = new Map<string, Classified[]>();
  for (const { key, ...rest } of keyed) {
    const base = editedBaseKey(key);
    const edited = base !== null && mainKeys.has(base);
    const groupKeyOf = edited ? base : key;
    const item: Classified = { ...rest, edited };
    if (!mainKeys.has(groupKeyOf)) {
      getOrAdd(orphans, groupKeyOf, () => []).push(item);
      continue;
    }
    const bucket = getOrAdd(withMain, groupKeyOf, () => ({ mains: [], sidecars: [] }));
    (item.kind === "sidecar" ? bucket.sidecars : bucket.mains).push(item);
  }

  const groups = [...withMain.values()].map(({ mains, sidecars }) => mainGroup(mains, sidecars));
  for (const items of orphans.values()) groups.push(orphanGroup(items));
  return groups.sort((a, b) => compareNames(a.primary, b.primary));
}

/**
 * Apple names an edited photo IMG_E1234 (and its adjustments IMG_O1234.AAE) beside the
 * original IMG_1234; PhotoPrism stacks them (mediafile_related.go), so they travel together.
 */
function editedBaseKey(key: string): string | null {
  const match = /^img_[eo](\d+)$/.exec(key);
  return match ? `img_${match[1]}` : null;
}

function mainGroup(mains: Classified[], sidecars: Classified[]): FileGroup {
  const originals = mains.filter((m) => !m.edited);
  const [primary] = [...originals].sort(
    (a, b) => primaryRank(a) - primaryRank(b) || compareNames(a.file.name, b.file.name),
  );
  if (!primary) throw new Error("a group keyed by a main file has no main file");
  const has = (kind: MediaKind) => originals.some((m) => m.kind === kind);
  const still = has("raw") || has("photo");
  // Any video, not only MOV: some exports (e.g. Google Takeout) carry Live Photo movies as
  // MP4, and PhotoPrism stacks every video that shares a still's name anyway.
  const kind: GroupKind =
    has("raw") && has("photo") ? "raw-jpeg" : still && has("video") ? "live-photo" : "single";

  const others = [...mains, ...sidecars]
    .filter((m) => m !== primary)
    .map((m) => ({ name: m.file.name, role: roleOf(m, primary) }))
    .sort((a, b) => compareNames(a.name, b.name));
  const members: GroupMember[] = [{ name: primary.file.name, role: "primary" }, ...others];
  return finish(kind, primary.file.name, members, [...mains, ...sidecars]);
}

/** No main file (yet): the engine leaves these where they are until one arrives. */
function orphanGroup(items: Classified[]): FileGroup {
  const members = items
    .map((i): GroupMember => ({ name: i.file.name, role: "sidecar" }))
    .sort((a, b) => compareNames(a.name, b.name));
  return finish("orphan-sidecar", members[0]?.name ?? "", members, items);
}

function finish(
  kind: GroupKind,
  primary: string,
  members: GroupMember[],
  items: Classified[],
): FileGroup {
  return {
    kind,
    primary,
    members,
    totalSize: items.reduce((sum, i) => sum + i.file.size, 0),
    newestMtimeMs: items.reduce((max, i) => Math.max(max, i.file.mtimeMs), -Infinity),
  };
}

const HEIF = new Set(["heic", "heif", "hif", "heics", "heifs", "avci", "avcs"]);
const JPEG = new Set(["jpg", "jpeg", "jpe", "jif", "jfif", "jfi"]);

/**
 * PhotoPrism's main-file rule (mediafile_related.go): RAW, then HEIC/HEIF, then other stills,
 * then JPEG/PNG ("preview" images), video last. Choosing the same file keeps our reports in
 * step with the stack PhotoPrism builds.
 */
function primaryRank(m: Classified): number {
  switch (m.kind) {
    case "raw":
      return 0;
    case "photo":
      if (m.extension !== null && HEIF.has(m.extension)) return 1;
      if (m.extension !== null && (JPEG.has(m.extension) || m.extension === "png")) return 3;
      return 2;
    case "video":
      return 4;
    case "sidecar":
      return 5;
  }
}

function roleOf(m: Classified, primary: Classified): MemberRole {
  if (m.edited && m.kind !== "sidecar") return "edited";
  switch (m.kind) {
    case "raw":
      return "raw";
    case "photo":
      return m.extension !== null && JPEG.has(m.extension) ? "jpeg" : "still";
    case "video":
      return primary.kind === "video" ? "video" : "live-video";
    case "sidecar":
      return "sidecar";
  }
}

/** By UTF-16 code units: the same order on every machine, unlike localeCompare. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
