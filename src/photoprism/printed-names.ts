/**
 * Names as PhotoPrism prints them in its log (`clean.Log`): quoted when they hold spaces,
 * backslash and `$ < > { }` replaced by `?`, control characters dropped, long ones shortened
 * with "…".
 */

/** Drops PhotoPrism's single quotes around a name with spaces (newer versions double inner ones). */
export function unquoteName(printed: string): string {
  if (printed.length >= 2 && printed.startsWith("'") && printed.endsWith("'")) {
    return printed.slice(1, -1).replaceAll("''", "'");
  }
  return printed;
}

/**
 * Whether a name PhotoPrism printed can be `path` (relative to the batch folder): the same
 * sanitising applied to `path`, compared whole, by base name when PhotoPrism printed only
 * that, or by prefix when it shortened the name (ending it with "…").
 */
export function printedNameMatches(printed: string, path: string): boolean {
  const shown = sanitiseLikePhotoPrism(printed);
  const sanitised = sanitiseLikePhotoPrism(path);
  const wanted = shown.includes("/") ? sanitised : (sanitised.split("/").pop() ?? "");
  if (shown.endsWith("…")) return wanted.startsWith(shown.slice(0, -1));
  return shown === wanted;
}

/** Older versions print `"` and `` ` `` as `'`, newer ones keep `"`: compare them as one. */
function sanitiseLikePhotoPrism(path: string): string {
  return (
    path
      // eslint-disable-next-line no-control-regex -- control characters are what PhotoPrism drops
      .replace(/[\x00-\x1f\x7f]/g, "")
      .replace(/[`"]/g, "'")
      .replace(/[\\$<>{}]/g, "?")
  );
}
