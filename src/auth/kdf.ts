/** Promise wrappers around node:crypto's password key-derivation functions. */
import * as nodeCrypto from "node:crypto";

export interface ScryptCost {
  ln: number;
  r: number;
  p: number;
}

export interface Argon2Cost {
  /** Memory in KiB. */
  m: number;
  /** Passes. */
  t: number;
  /** Lanes. */
  p: number;
}

export function scryptKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  cost: ScryptCost,
): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // OpenSSL refuses to run when its working memory, 128·r·(N + p + 2) bytes, exceeds maxmem
  // (default 32 MiB, below what ln=17 needs). The slack guards against rounding differences
  // between OpenSSL builds; maxmem is only a limit, nothing is allocated because of it.
  const maxmem = 128 * cost.r * (N + cost.p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    nodeCrypto.scrypt(password, salt, keyLength, { N, r: cost.r, p: cost.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

type Argon2Function = (
  algorithm: "argon2id",
  parameters: {
    message: string;
    nonce: Buffer;
    parallelism: number;
    tagLength: number;
    memory: number;
    passes: number;
  },
  callback: (err: Error | null, derivedKey: Buffer) => void,
) => void;

// crypto.argon2 arrived in Node 24.7; @types/node 20 does not declare it, and on older Node
// the namespace simply lacks the property.
const nativeArgon2 = (nodeCrypto as unknown as { argon2?: Argon2Function }).argon2;

/** True when this Node.js can compute argon2id (24.7 or newer). */
export function argon2Available(): boolean {
  return typeof nativeArgon2 === "function";
}

export function argon2idKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  cost: Argon2Cost,
): Promise<Buffer> {
  const argon2 = nativeArgon2;
  if (typeof argon2 !== "function") {
    return Promise.reject(new Error(`argon2id needs Node.js 24.7 or newer (${process.version})`));
  }
  const parameters = {
    message: password,
    nonce: salt,
    parallelism: cost.p,
    tagLength: keyLength,
    memory: cost.m,
    passes: cost.t,
  };
  return new Promise((resolve, reject) => {
    argon2("argon2id", parameters, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
