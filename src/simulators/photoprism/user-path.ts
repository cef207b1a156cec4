/**
 * `clean.UserPath`, simplified: a user-supplied relative path with empty, "." and ".."
 * segments dropped, so it can never leave the folder it is joined to.
 */
export function cleanUserPath(path: string): string {
  return path
    .split(/[/\\]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .join("/");
}
