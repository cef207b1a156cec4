/** Small text helpers shared by the occ output parsers. */

import type { CommandResult } from "../runners/runner.js";

/** A problem found in occ's output, in plain words: what happened and what to do. */
export interface OccProblem<Kind extends string = string> {
  kind: Kind;
  message: string;
  hint: string;
  /** How many output lines showed it. */
  count: number;
  /** The first few of those lines. */
  lines: string[];
}

// With --no-ansi Symfony prints no colours, but a wrapper or an old image might.
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ansiEscape = /\x1b\[[0-9;?]*[A-Za-z]/g;
// Undecorated output drops `<error>` tags; a custom runner wrapper might not.
const formatterTag = /<\/?(?:error|info|comment|question)>/g;

export function cleanText(text: string): string {
  return text.replace(ansiEscape, "").replace(formatterTag, "").replace(/\r\n?/g, "\n");
}

/** Both streams, cleaned, as trimmed non-empty lines (stdout first). */
export function outputLines(result: Pick<CommandResult, "stdout" | "stderr">): string[] {
  return `${cleanText(result.stdout)}\n${cleanText(result.stderr)}`
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * Symfony wraps its error blocks at the terminal width and pads them with spaces; matching
 * on the text with all whitespace collapsed is immune to both.
 */
export function flatText(result: Pick<CommandResult, "stdout" | "stderr">): string {
  return `${cleanText(result.stdout)} ${cleanText(result.stderr)}`.replace(/\s+/g, " ").trim();
}

const maxLinesKept = 5;

/** Adds a line to the problem of that kind, creating it on first sight. */
export function addProblem<Kind extends string>(
  problems: OccProblem<Kind>[],
  kind: Kind,
  line: string,
  describe: () => Pick<OccProblem<Kind>, "message" | "hint">,
): void {
  const existing = problems.find((p) => p.kind === kind);
  if (existing) {
    existing.count++;
    if (existing.lines.length < maxLinesKept) existing.lines.push(line);
    return;
  }
  problems.push({ kind, ...describe(), count: 1, lines: [line] });
}
