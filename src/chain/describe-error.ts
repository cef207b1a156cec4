/** The message and, where the error carries one (RunnerError, PhotoPrismApiError), the fix. */
export function describeError(error: unknown): string {
  const hint = (error as { hint?: unknown } | null)?.hint;
  const message = error instanceof Error ? error.message : String(error);
  return typeof hint === "string" && hint !== "" ? `${message} — ${hint}` : message;
}
