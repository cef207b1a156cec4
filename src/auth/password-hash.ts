/**
 * Web-UI password hashes. New hashes are scrypt in PHC form,
 * `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`; argon2id hashes made elsewhere
 * (`$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`) are verified when Node.js has crypto.argon2.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  argon2Available,
  argon2idKey,
  scryptKey,
  type Argon2Cost,
  type ScryptCost,
} from "./kdf.js";
import { decodeBase64, encodeBase64, parseParams, phcId, splitPhc } from "./phc.js";

/** N=2^17, r=8, p=1 (128 MiB per hash) is OWASP's recommended minimum for scrypt. */
export const DEFAULT_SCRYPT_LN = 17;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Hashes come from a config file the web UI can also edit; without ceilings one edited hash
// could make every login allocate gigabytes or run for minutes.
const LIMITS = {
  scrypt: { ln: 20, r: 32, p: 16, work: 2 ** 23 /* 2^ln·r·p, i.e. ln=20,r=8,p=1 */ },
  argon2id: { m: 2 ** 20 /* KiB = 1 GiB */, t: 16, p: 16, work: 2 ** 21 /* m·t */ },
  saltBytes: [8, 64],
  hashBytes: [16, 64],
} as const;

const RERUN = "run `photoferry hash-password` for a new one";
const NOT_OURS =
  "is not a password hash from `photoferry hash-password` (put the line it prints here, not the password itself)";

/** Thrown by verifyPassword when the stored hash itself is unusable. */
export class PasswordHashFormatError extends Error {
  override readonly name = "PasswordHashFormatError";
  /** The problem as a predicate, e.g. "is not a password hash from …". */
  readonly problem: string;
  constructor(problem: string) {
    super(`The password hash ${problem}`);
    this.problem = problem;
  }
}

type ParsedHash =
  | { algorithm: "scrypt"; cost: ScryptCost; salt: Buffer; hash: Buffer }
  | { algorithm: "argon2id"; cost: Argon2Cost; salt: Buffer; hash: Buffer };

type ParseResult = { parsed: ParsedHash; problem?: never } | { parsed?: never; problem: string };

export async function hashPassword(password: string, opts: { ln?: number } = {}): Promise<string> {
  if (password.length === 0) throw new Error("The password is empty; choose a non-empty password");
  const ln = opts.ln ?? DEFAULT_SCRYPT_LN;
  if (!Number.isInteger(ln) || ln < 1 || ln > LIMITS.scrypt.ln) {
    throw new RangeError(`scrypt ln must be an integer from 1 to ${LIMITS.scrypt.ln}, got ${ln}`);
  }
  const cost = { ln, r: SCRYPT_R, p: SCRYPT_P };
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptKey(normalize(password), salt, KEY_BYTES, cost);
  return `$scrypt$ln=${ln},r=${cost.r},p=${cost.p}$${encodeBase64(salt)}$${encodeBase64(key)}`;
}

/**
 * True when `password` matches `hash`, false when it does not (an empty password never
 * matches). Throws PasswordHashFormatError when `hash` is malformed or unsupported here.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const { parsed, problem } = parseHash(hash);
  if (problem !== undefined) throw new PasswordHashFormatError(problem);
  if (password.length === 0) return false;
  const key =
    parsed.algorithm === "scrypt"
      ? await scryptKey(normalize(password), parsed.salt, parsed.hash.length, parsed.cost)
      : await argon2idKey(normalize(password), parsed.salt, parsed.hash.length, parsed.cost);
  return timingSafeEqual(key, parsed.hash);
}

/**
 * Null when `hash` is a well-formed hash this Node.js can verify; otherwise a sentence
 * meant to follow the setting's name ("web.auth.passwordHash is not a password hash …").
 */
export function describePasswordHashProblem(hash: string): string | null {
  return parseHash(hash).problem ?? null;
}

// The same password typed on different devices can arrive in different Unicode forms
// (e.g. "é" as one code point or as "e" plus a combining accent).
function normalize(password: string): string {
  return password.normalize("NFC");
}

function parseHash(text: string): ParseResult {
  // A hash read from a file or pasted into YAML often carries a trailing newline.
  const hash = text.trim();
  if (hash.length === 0) return { problem: "is empty; run `photoferry hash-password` to make one" };
  const id = phcId(hash);
  if (id === null) return { problem: NOT_OURS };
  if (id === "scrypt") return parseScrypt(hash);
  if (id === "argon2id") return parseArgon2id(hash);
  return {
    problem: `is a "${id}" hash, which photoferry cannot check; only scrypt and argon2id work — ${RERUN}`,
  };
}

function parseScrypt(hash: string): ParseResult {
  const damaged = (why: string) => ({
    problem: `is a damaged scrypt hash (${why}); it may have been cut short when copied — ${RERUN}`,
  });
  const fields = splitPhc(hash);
  if (fields === null || fields.version !== undefined) {
    return damaged("expected $scrypt$ln=…,r=…,p=…$<salt>$<hash>");
  }
  const cost = parseParams(fields.params, ["ln", "r", "p"] as const);
  if (typeof cost === "string") return damaged(`it ${cost}`);
  const bytes = decodeSaltAndHash(fields.salt, fields.hash);
  if (typeof bytes === "string") return damaged(bytes);
  const max = LIMITS.scrypt;
  const tooHigh =
    cost.ln < 1 || cost.ln > max.ln
      ? `ln=${cost.ln} is outside 1…${max.ln}`
      : cost.r < 1 || cost.r > max.r
        ? `r=${cost.r} is outside 1…${max.r}`
        : cost.p < 1 || cost.p > max.p
          ? `p=${cost.p} is outside 1…${max.p}`
          : 2 ** cost.ln * cost.r * cost.p > max.work
            ? `ln=${cost.ln},r=${cost.r},p=${cost.p} together cost more than ln=20,r=8,p=1`
            : null;
  if (tooHigh !== null) {
    return {
      problem: `has scrypt parameters photoferry refuses (${tooHigh}), so that a login cannot tie up the server; ${RERUN}`,
    };
  }
  return { parsed: { algorithm: "scrypt", cost, ...bytes } };
}

function parseArgon2id(hash: string): ParseResult {
  const damaged = (why: string) => ({
    problem: `is a damaged argon2id hash (${why}); it may have been cut short when copied — ${RERUN}`,
  });
  const fields = splitPhc(hash);
  if (fields === null) return damaged("expected $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>");
  if (fields.version !== "19") {
    return {
      problem: `is an argon2id hash of version ${fields.version ?? "16 (no v=)"}; only v=19 is supported — ${RERUN}`,
    };
  }
  const cost = parseParams(fields.params, ["m", "t", "p"] as const);
  if (typeof cost === "string") return damaged(`it ${cost}`);
  const bytes = decodeSaltAndHash(fields.salt, fields.hash);
  if (typeof bytes === "string") return damaged(bytes);
  const max = LIMITS.argon2id;
  const tooHigh =
    cost.p < 1 || cost.p > max.p
      ? `p=${cost.p} is outside 1…${max.p}`
      : cost.m < 8 * cost.p || cost.m > max.m
        ? `m=${cost.m} is outside ${8 * cost.p}…${max.m}`
        : cost.t < 1 || cost.t > max.t
          ? `t=${cost.t} is outside 1…${max.t}`
          : cost.m * cost.t > max.work
            ? `m=${cost.m},t=${cost.t} together cost more than 1 GiB × 2 passes`
            : null;
  if (tooHigh !== null) {
    return {
      problem: `has argon2id parameters photoferry refuses (${tooHigh}), so that a login cannot tie up the server; ${RERUN}`,
    };
  }
  if (!argon2Available()) {
    return {
      problem: `is an argon2id hash, which needs Node.js 24.7 or newer (this is ${process.version}); run \`photoferry hash-password\` to make a scrypt hash instead`,
    };
  }
  return { parsed: { algorithm: "argon2id", cost, ...bytes } };
}

function decodeSaltAndHash(
  saltText: string,
  hashText: string,
): { salt: Buffer; hash: Buffer } | string {
  const salt = decodeBase64(saltText);
  const hash = decodeBase64(hashText);
  if (salt === null) return "its salt is not unpadded base64";
  if (hash === null) return "its hash part is not unpadded base64";
  const [minSalt, maxSalt] = LIMITS.saltBytes;
  const [minHash, maxHash] = LIMITS.hashBytes;
  if (salt.length < minSalt || salt.length > maxSalt) {
    return `its salt is ${salt.length} bytes, not ${minSalt}…${maxSalt}`;
  }
  if (hash.length < minHash || hash.length > maxHash) {
    return `its hash part is ${hash.length} bytes, not ${minHash}…${maxHash}`;
  }
  return { salt, hash };
}
