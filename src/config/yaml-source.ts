import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node, Pair } from "yaml";
import type { ConfigIssue, PathSegment } from "./issues.js";

/** A parsed YAML file that still knows where every value came from. */
export interface YamlSource {
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** Syntax errors, with line and column. */
  issues: ConfigIssue[];
  /** The plain data (undefined for an empty file). */
  data: unknown;
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  for (const error of [...document.errors, ...document.warnings]) {
    const position = lineCounter.linePos(error.pos[0]);
    issues.push({
      severity: document.errors.includes(error) ? "error" : "warning",
      path: [],
      message: yamlErrorMessage(error.code, error.message),
      fix: yamlErrorFix(error.code),
      line: position.line,
      column: position.col,
    });
  }
  const data: unknown = document.errors.length === 0 ? document.toJS() : undefined;
  return { text, document, lineCounter, issues, data };
}

function yamlErrorMessage(code: string, message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  if (code === "DUPLICATE_KEY") return "this key appears twice in the same section";
  if (code === "TAB_AS_INDENT") return "a tab is used for indentation";
  return `the file is not valid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`;
}

function yamlErrorFix(code: string): string | undefined {
  switch (code) {
    case "DUPLICATE_KEY":
      return "keep only one of them";
    case "TAB_AS_INDENT":
      return "indent with spaces";
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "UNEXPECTED_TOKEN":
      return "check the indentation and quotes on this line and the one before";
    default:
      return undefined;
  }
}

interface Located {
  /** The pair whose key is the last path segment, when the parent is a map. */
  pair?: Pair<Node, Node | null>;
  node?: Node | null;
  /** How many leading path segments exist in the file. */
  depth: number;
  /** The deepest existing node along the path. */
  deepest: Node | null;
}

/** Walks the document along `path` as far as it exists. */
export function locateNode(document: Document, path: readonly PathSegment[]): Located {
  let current: unknown = document.contents;
  let located: Located = { depth: 0, deepest: document.contents ?? null };
  for (const [index, segment] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      ) as Pair<Node, Node | null> | undefined;
      if (!pair) return located;
      current = pair.value;
      located = {
        pair,
        node: pair.value,
        depth: index + 1,
        deepest: pair.value ?? located.deepest,
      };
    } else if (isSeq(current) && typeof segment === "number") {
      const item = current.items[segment] as Node | undefined;
      if (item === undefined) return located;
      current = item;
      located = { node: item, depth: index + 1, deepest: item };
    } else {
      return located;
    }
  }
  return located;
}

/** Line and column (1-based) of the value at `path`, or of the nearest thing that exists. */
export function positionOf(
  source: Pick<YamlSource, "document" | "lineCounter">,
  path: readonly PathSegment[],
  prefer: "value" | "key" = "value",
): { line: number; column: number } | undefined {
  const located = locateNode(source.document, path);
  const keyNode = located.pair?.key;
  const target =
    located.depth === path.length
      ? prefer === "key" && keyNode
        ? keyNode
        : (located.node ?? keyNode)
      : (located.pair?.key ?? located.deepest);
  const offset = target?.range?.[0];
  if (offset === undefined) return undefined;
  const position = source.lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}
