import type { CommandResult } from "../runners/runner.js";
import { detectOccFailure, type OccFailure, type OccFailureKind } from "./occ-failure.js";
import { cleanText, type OccProblem } from "./occ-output.js";

export interface UserListResult {
  ok: boolean;
  /** User id → display name, in occ's order. */
  users: Map<string, string>;
  problems: OccProblem<"unreadable-output" | OccFailureKind>[];
  failure?: OccFailure;
}

/**
 * Reads `occ user:list --output=json`: `{"alice":"Alice","bob":"Bob"}`, or `[]` when there
 * are none (PHP encodes an empty array as a list). Lines before the JSON are skipped.
 */
export function parseUserList(result: CommandResult): UserListResult {
  const failure = detectOccFailure(result);
  if (failure) return { ok: false, users: new Map(), problems: [failure], failure };
  const text = cleanText(result.stdout);
  const start = text.search(/^[ \t]*[[{]/m);
  let value: unknown;
  try {
    value = start < 0 ? undefined : JSON.parse(text.slice(start));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === 0)
    return { ok: true, users: new Map(), problems: [] };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    // `--info` prints objects per user; the display name is then in "display_name".
    const users = new Map(entries.map(([uid, info]) => [uid, displayName(info, uid)]));
    return { ok: true, users, problems: [] };
  }
  return {
    ok: false,
    users: new Map(),
    problems: [
      {
        kind: "unreadable-output",
        message: "occ user:list did not print the JSON photoferry expects",
        hint: "Check that nextcloud.occ.command runs Nextcloud's occ (e.g. [php, /var/www/html/occ])",
        count: 1,
        lines: text.split("\n").filter(Boolean).slice(0, 3),
      },
    ],
  };
}

function displayName(info: unknown, uid: string): string {
  if (typeof info === "string") return info;
  if (typeof info === "object" && info !== null) {
    const name = (info as Record<string, unknown>).display_name;
    if (typeof name === "string") return name;
  }
  return uid;
}
