/**
 * SSH carries one command string, which the remote account's login shell parses. Every
 * argument is single-quoted, even harmless ones, so nothing in it (spaces, `$`, backticks,
 * globs, newlines, a leading `-`) can change how the shell splits or expands it. Inside
 * single quotes only `'` itself is special; it becomes `'\''` (close, escaped quote, reopen).
 * Assumes a POSIX shell (sh, dash, bash, zsh) as the remote login shell, not csh or fish.
 */
export function quoteForPosixShell(argument: string): string {
  if (argument.includes("\0")) {
    throw new Error("an argument cannot contain a NUL character (no program could receive it)");
  }
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** The argv as one shell word list, each element quoted. */
export function joinForPosixShell(argv: readonly string[]): string {
  return argv.map(quoteForPosixShell).join(" ");
}
