/**
 * A command's argv as one line an admin could paste into a shell: plain words stay bare,
 * anything else is single-quoted, so spaces or quotes inside an argument (a user id like
 * "o'brien jr") stay visibly one argument.
 */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(" ");
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * How many lines a command's output tail has, and whether the server cut its start off
 * (it keeps the end, marked with "…"), for the label of its expander.
 */
export function outputSummary(output: string): {
  lines: number;
  empty: boolean;
  truncated: boolean;
} {
  const trimmed = output.replace(/\s+$/, "");
  if (trimmed === "") return { lines: 0, empty: true, truncated: false };
  const truncated = trimmed.startsWith("…") || trimmed.includes("[stderr]\n…");
  return { lines: trimmed.split("\n").length, empty: false, truncated };
}
