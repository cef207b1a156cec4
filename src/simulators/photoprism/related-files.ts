/**
 * Grouping of related files (PhotoPrism's `MediaFile.RelatedFiles`, mediafile_related.go):
 * everything in the same folder named `<prefix>.*`, `<prefix>_????.*`, and Apple's edited
 * `IMG_E1234.*` for `IMG_1234.*`, with one main file chosen by type. Pure: works on names.
 */
import { extensionOf, formatOf, isKnownExtension } from "./formats.js";

export interface RelatedGroup {
  /** Names (in the folder) of the group, sorted like Go's filepath.Glob. */
  readonly files: readonly string[];
  /** The main file's name; null when none of the files can be one. */
  readonly main: string | null;
}

/** `fs.BasePrefix(name, false)`: the name without its extension and known extensions before it. */
export function basePrefix(name: string): string {
  let base = stripExt(name);
  while (extensionOf(base) !== "" && isKnownExtension(extensionOf(base))) base = stripExt(base);
  return base;
}

function stripExt(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? name : name.slice(0, dot);
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The group of `name` among `siblings` (all file names in the folder, `name` included).
 * `skip` drops files the configuration ignores (RAW when RAW is disabled) and empty ones.
 */
export function relatedFiles(
  name: string,
  siblings: readonly string[],
  skip: (name: string) => boolean = () => false,
): RelatedGroup {
  const prefix = basePrefix(name);
  const sequence = new RegExp(`^${escapeRegExp(prefix)}_.{4}\\.`, "u");
  const matches = new Set(
    siblings.filter((s) => s.startsWith(`${prefix}.`) || sequence.test(s)).sort(byteOrder),
  );
  if (/^IMG_/i.test(name) && !/^IMG_E/i.test(name)) {
    const edited = `${name.slice(0, 4)}E${name.slice(4)}`;
    if (siblings.includes(edited)) matches.add(edited);
  }
  const files: string[] = [];
  let main: string | null = null;
  let isHeic = false;
  for (const file of matches) {
    if (skip(file)) continue;
    const kind = formatOf(file).kind;
    const mainIsPreview = main !== null && formatOf(main).kind === "preview";
    switch (kind) {
      case "preview":
        if (main === null || (mainIsPreview && main.length > file.length)) main = file;
        break;
      case "raw":
      case "vector":
      case "image":
        main = file;
        break;
      case "heic":
        isHeic = true;
        main = file;
        break;
      case "video":
        if (!isHeic) main = file;
        break;
      case "sidecar":
        break;
    }
    files.push(file);
  }
  return { files, main };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
