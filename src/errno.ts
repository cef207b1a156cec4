/** An error's errno code (`ENOENT`, `EXDEV`, …), or undefined when it has none. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    return typeof error.code === "string" ? error.code : undefined;
  }
  return undefined;
}

/** The same, with `UNKNOWN` for errors that carry no code (for messages and lookups). */
export const errnoCode = (error: unknown): string => errorCode(error) ?? "UNKNOWN";
