/**
 * Names that are not ignored but must not be ferried as they are. `block`: the engine must not
 * place the file under this name (quarantine it, or rename it, with the warning's text as the
 * reason). `note`: ferrying is fine; report it.
 *
 * A leading "-" is deliberately not a warning: names never pass through a shell, and child
 * processes only ever get absolute paths (`/…`) or `--path=…` arguments, so a name cannot be
 * read as an option.
 */
export type NameWarning =
  | { code: "control-character"; severity: "block"; text: string }
  | { code: "invalid-encoding"; severity: "block"; text: string }
  | { code: "photoprism-hidden"; severity: "block"; text: string }
  | { code: "not-nfc"; severity: "note"; text: string };

// C0, DEL and C1: a newline would split the line-based output photoferry parses (occ -v
// listings, PhotoPrism's import log) and forge entries in logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function nameWarnings(name: string): NameWarning[] {
  const warnings: NameWarning[] = [];
  if (CONTROL.test(name)) {
    warnings.push({
      code: "control-character",
      severity: "block",
      text: "the name contains a control character (such as a line break)",
    });
  }
  // Node decodes names as UTF-8 and turns invalid bytes into U+FFFD, so this string no longer
  // names the file on disk.
  if (name.includes("\uFFFD")) {
    warnings.push({
      code: "invalid-encoding",
      severity: "block",
      text: "the name is not valid UTF-8, so it cannot be addressed reliably",
    });
  }
  if (isPhotoPrismHiddenName(name)) {
    warnings.push({
      code: "photoprism-hidden",
      severity: "block",
      text:
        'PhotoPrism treats names starting with "@", "_." or "__" as hidden and deletes them ' +
        "during a move import instead of importing them",
    });
  }
  if (name !== name.normalize("NFC")) {
    warnings.push({
      code: "not-nfc",
      severity: "note",
      text:
        "the name is not in Unicode NFC form (typical of macOS); Nextcloud's scanner reports " +
        "such names as errors",
    });
  }
  return warnings;
}

/**
 * PhotoPrism's `fs.FileNameHidden` minus the "." case, which `ignoreReason` already skips.
 * Folders with such names are skipped by PhotoPrism's import too.
 */
export function isPhotoPrismHiddenName(name: string): boolean {
  return name.startsWith("@") || name.startsWith("_.") || name.startsWith("__");
}
