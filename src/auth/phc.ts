/**
 * Pieces of the PHC string format (`$id$v=19$a=1,b=2$salt$hash`) shared by the scrypt and
 * argon2id hashes. Salt and hash use the standard base64 alphabet without `=` padding.
 */

export interface PhcFields {
  id: string;
  /** The `v=…` segment's value, when there is one. */
  version: string | undefined;
  params: string;
  salt: string;
  hash: string;
}

const ID = /^[a-z0-9-]{1,32}$/;

/** Splits a PHC string into its segments, or returns null when it is not shaped like one. */
export function splitPhc(text: string): PhcFields | null {
  const parts = text.split("$");
  if (parts[0] !== "") return null;
  const id = parts[1];
  if (id === undefined || !ID.test(id)) return null;
  let rest = parts.slice(2);
  let version: string | undefined;
  if (rest[0]?.startsWith("v=")) {
    version = rest[0].slice(2);
    rest = rest.slice(1);
  }
  if (rest.length !== 3) return null;
  const [params, salt, hash] = rest as [string, string, string];
  return { id, version, params, salt, hash };
}

/** Just the algorithm name of something that starts like a PHC string. */
export function phcId(text: string): string | null {
  const match = /^\$([^$]*)\$/.exec(text);
  return match?.[1] ?? null;
}

/**
 * Parses `a=1,b=2` into numbers. Every name in `names` must appear exactly once and nothing
 * else may; values are plain decimal integers. Returns a sentence fragment on failure.
 */
export function parseParams<K extends string>(
  text: string,
  names: readonly K[],
): Record<K, number> | string {
  const result: Partial<Record<K, number>> = {};
  const expected = names.map((n) => `${n}=…`).join(",");
  for (const pair of text.split(",")) {
    const match = /^([a-z]+)=(0|[1-9][0-9]{0,9})$/.exec(pair);
    const name = match?.[1] as K | undefined;
    if (match === null || name === undefined || !names.includes(name)) {
      return `has a parameter "${pair}" where "${expected}" was expected`;
    }
    if (result[name] !== undefined) return `has the parameter "${name}" twice`;
    result[name] = Number(match[2]);
  }
  const missing = names.filter((n) => result[n] === undefined);
  if (missing.length > 0) return `lacks the parameter "${missing.join('", "')}"`;
  return result as Record<K, number>;
}

const BASE64 = /^[A-Za-z0-9+/]+$/;

/** Decodes unpadded standard base64, or returns null for anything not written that way. */
export function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64");
  // Buffer.from ignores stray bits in the last character; insisting on the canonical
  // spelling means one hash has exactly one accepted text form.
  return encodeBase64(bytes) === text ? bytes : null;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}
