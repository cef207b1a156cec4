import { createHash, randomBytes } from "node:crypto";

/** A fresh unguessable secret: 32 random bytes, base64url (43 characters). */
export function newSecret(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/**
 * How session ids and API tokens are stored: their SHA-256. They are 256 random bits, so a
 * plain hash cannot be reversed and needs no salt or slow KDF; a copy of the database cannot
 * be replayed as a login.
 */
export function digestSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
