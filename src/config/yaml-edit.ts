import { isDeepStrictEqual } from "node:util";
import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, Scalar } from "yaml";
import type { Node, YAMLMap } from "yaml";
import type { PathSegment } from "./issues.js";
import { locateNode } from "./yaml-source.js";

export type ConfigEdit =
  { path: PathSegment[]; value: unknown } | { path: PathSegment[]; delete: true };

export interface EditResult {
  text: string;
  /** False when the layout could not be kept and the file was re-rendered (comments stay). */
  layoutKept: boolean;
}

/**
 * Applies edits by splicing only the changed values into the text, so every comment, blank
 * line and alignment the person wrote stays byte for byte. The yaml package's own
 * `toString()` keeps comments but not spacing, so it is only the fallback.
 */
export function applyYamlEdits(text: string, edits: readonly ConfigEdit[]): EditResult {
  const original = parseDocument(text);
  if (original.errors.length > 0) throw new Error("cannot edit a file that is not valid YAML");
  const expected = edits.reduce(
    (data, edit) => applyToData(data, edit),
    original.toJS() as unknown,
  );
  let spliced = text;
  try {
    for (const edit of edits) spliced = spliceEdit(spliced, edit);
    const check = parseDocument(spliced);
    if (check.errors.length === 0 && isDeepStrictEqual(check.toJS(), expected)) {
      return { text: spliced, layoutKept: true };
    }
  } catch {
    // fall through to the re-rendering path
  }
  const document = parseDocument(text);
  for (const edit of edits) {
    if ("delete" in edit) document.deleteIn(edit.path);
    else document.setIn(edit.path, edit.value);
  }
  return {
    text: document.toString({ lineWidth: 0, flowCollectionPadding: false }),
    layoutKept: false,
  };
}

function applyToData(data: unknown, edit: ConfigEdit): unknown {
  const [head, ...rest] = edit.path;
  if (head === undefined) return "delete" in edit ? undefined : edit.value;
  const deleting = "delete" in edit && rest.length === 0;
  if (Array.isArray(data) && typeof head === "number") {
    const items = [...(data as unknown[])];
    if (deleting) items.splice(head, 1);
    else items[head] = applyToData(items[head], { ...edit, path: rest });
    return items;
  }
  const record: Record<string, unknown> =
    data !== null && typeof data === "object" ? { ...(data as Record<string, unknown>) } : {};
  if (deleting) delete record[head];
  else record[head] = applyToData(record[head], { ...edit, path: rest });
  return record;
}

function spliceEdit(text: string, edit: ConfigEdit): string {
  const document = parseDocument(text);
  const located = locateNode(document, edit.path);
  if ("delete" in edit)
    return located.depth === edit.path.length ? deletePair(text, document, edit.path) : text;
  if (located.depth === edit.path.length) return replaceValue(text, edit.path, located, edit.value);
  // Build the missing part as a nested object and hang it on the deepest part that exists.
  const existing = edit.path.slice(0, located.depth);
  const missing = edit.path.slice(located.depth);
  const parent = located.depth === 0 ? (document.contents as Node | null) : located.node;
  if (isMap(parent) && !parent.flow && parent.items.length > 0 && typeof missing[0] === "string") {
    return insertIntoBlockMap(text, parent, nest(missing, edit.value));
  }
  if (parent === null && existing.length === 0) return nestedBlock(nest(missing, edit.value), 0);
  const merged = applyToData(located.node ? located.node.toJSON() : undefined, {
    path: missing,
    value: edit.value,
  });
  return spliceEdit(text, { path: existing, value: merged });
}

function nest(path: PathSegment[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
    string,
    unknown
  >;
}

function replaceValue(
  text: string,
  path: PathSegment[],
  located: ReturnType<typeof locateNode>,
  value: unknown,
): string {
  const node = located.node;
  const keyEnd = located.pair?.key?.range?.[1];
  const inline = renderInline(value, isScalar(node) ? node : undefined);
  if (
    node &&
    node.range &&
    (isScalar(node) || (isCollection(node) && node.flow) || inline !== undefined)
  ) {
    const [start, end] = node.range;
    if (inline !== undefined && (isScalar(node) || (isCollection(node) && node.flow))) {
      return text.slice(0, start) + inline + text.slice(end);
    }
    if (keyEnd === undefined) throw new Error(`cannot replace ${path.join(".")} in place`);
    const colon = text.indexOf(":", keyEnd);
    const replacement =
      inline !== undefined
        ? ` ${inline}`
        : `\n${nestedBlock(value, indentOf(text, keyEnd) + 2).trimEnd()}`;
    return text.slice(0, colon + 1) + replacement + text.slice(end).replace(/^[ \t]*(?=\n)/, "");
  }
  if (keyEnd === undefined) throw new Error(`cannot set ${path.join(".")} in place`);
  // `key:` with no value at all.
  const colon = text.indexOf(":", keyEnd);
  const replacement =
    inline !== undefined
      ? ` ${inline}`
      : `\n${nestedBlock(value, indentOf(text, keyEnd) + 2).trimEnd()}`;
  return text.slice(0, colon + 1) + replacement + text.slice(colon + 1);
}

function insertIntoBlockMap(text: string, map: YAMLMap, addition: Record<string, unknown>): string {
  const last = map.items[map.items.length - 1]!;
  const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
  const firstKeyStart = (map.items[0]!.key as Node).range![0];
  const indent = indentOf(text, firstKeyStart);
  const lineEnd = text.indexOf("\n", lastEnd);
  const block = nestedBlock(addition, indent).trimEnd();
  if (lineEnd === -1) return `${text}\n${block}\n`;
  return `${text.slice(0, lineEnd + 1)}${block}\n${text.slice(lineEnd + 1)}`;
}

function deletePair(text: string, document: Document, path: PathSegment[]): string {
  const parentPath = path.slice(0, -1);
  const parent =
    parentPath.length === 0 ? document.contents : locateNode(document, parentPath).node;
  const located = locateNode(document, path);
  if (!isMap(parent) || parent.flow || !located.pair || parent.items.length === 1) {
    const data = applyToData(parent ? parent.toJSON() : {}, {
      path: path.slice(-1),
      delete: true,
    });
    return parentPath.length === 0
      ? nestedBlock(data, 0)
      : spliceEdit(text, { path: parentPath, value: data });
  }
  const keyStart = located.pair.key.range![0];
  const end = located.pair.value?.range?.[1] ?? located.pair.key.range![1];
  const lineStart = text.lastIndexOf("\n", keyStart - 1) + 1;
  const lineEnd = text.indexOf("\n", end);
  return text.slice(0, lineStart) + (lineEnd === -1 ? "" : text.slice(lineEnd + 1));
}

function indentOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^ */.exec(text.slice(lineStart))![0].length;
}

/** A one-line rendering, keeping the quote style the person used; undefined if none fits. */
function renderInline(value: unknown, previous: Scalar | undefined): string | undefined {
  if (typeof value === "string") {
    if (value.includes("\n")) return JSON.stringify(value);
    if (previous?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (previous?.type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  }
  const isFlat =
    value === null ||
    typeof value !== "object" ||
    (Array.isArray(value) && value.every((item) => item === null || typeof item !== "object"));
  if (!isFlat) return undefined;
  const document = new Document(value);
  if (isSeq(document.contents)) document.contents.flow = true;
  return document.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

function nestedBlock(value: unknown, indent: number): string {
  const rendered = new Document(value).toString({ lineWidth: 0, flowCollectionPadding: false });
  const pad = " ".repeat(indent);
  return rendered
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}
