export type TokenScope = "read" | "write";

/** `GET /api/tokens` items (see docs/api.md). */
export interface TokenItem {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
}

/** `POST /api/tokens` reply: the secret appears here once and never again. */
export interface CreatedToken {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  token: string;
}

export const TOKEN_NAME_MAX = 64;

// Same bounds as the server: control characters would garble the audit log and the list.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Null when the name is fine, else what to change. */
export function tokenNameProblem(name: string, existing: readonly TokenItem[]): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "Give the token a name, e.g. the script or host that uses it.";
  if (trimmed.length > TOKEN_NAME_MAX)
    return `Keep the name to ${TOKEN_NAME_MAX} characters (it has ${trimmed.length}).`;
  if (controlCharacter.test(trimmed)) return "The name may not contain tabs or line breaks.";
  if (existing.some((token) => token.name.toLowerCase() === trimmed.toLowerCase()))
    return `A token named "${trimmed}" exists already; pick a name that tells them apart.`;
  return null;
}

export const scopeWords: Record<TokenScope, string> = {
  read: "Read only: status, runs, metrics",
  write: "Read and write: also start runs and change settings",
};
