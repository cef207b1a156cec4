import { isIP } from "node:net";
import { posix } from "node:path";
import { Cron } from "croner";

/** Returns null when `expression` is a cron pattern croner accepts, else croner's reason. */
export function cronProblem(expression: string): string | null {
  try {
    // `paused` so validating never schedules anything.
    new Cron(expression, { paused: true }).stop();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export interface Cidr {
  family: 4 | 6;
  address: string;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [address = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return null;
  const max = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { family, address, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { family, address, prefix } : null;
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/");
}

/** A path relative to a root that cannot climb out of it. */
export function isContainedRelativePath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.includes("\0")) return false;
  return !path.split("/").includes("..");
}

/** True when `inner` is `outer` or lies below it (purely lexical; both absolute or both relative). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const a = posix.normalize(inner).replace(/\/+$/, "") || "/";
  const b = posix.normalize(outer).replace(/\/+$/, "") || "/";
  if (a === b) return true;
  return a.startsWith(b === "/" ? "/" : `${b}/`);
}

/** File modes are written as octal strings ("0644") so YAML does not read them as decimals. */
export function parseFileMode(text: string): number | null {
  if (!/^0?[0-7]{3,4}$/.test(text)) return null;
  const mode = Number.parseInt(text, 8);
  return mode <= 0o7777 ? mode : null;
}

/** Edit distance counting a swap of neighbours as one edit ("prot" → "port"), for hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small edit distance (case-insensitive), if any. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const limit = Math.max(1, Math.min(3, Math.floor(candidate.length / 3)));
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
