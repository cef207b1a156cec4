/**
 * `photoprism auth add`: app passwords (with a user name) and client access tokens (without),
 * kept in the simulator database only as SHA-256, and the checks the REST API makes with them.
 */
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { SimAppPassword, SimStore } from "./sim-store.js";

export interface NewSecret {
  readonly secret: string;
  readonly kind: "App Password" | "Access Token";
  readonly scope: string;
}

const ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** `rnd.AppPassword`: four groups of six, e.g. `Ab3dEf-gh4JkL-…`. */
function appPassword(): string {
  const group = () => Array.from({ length: 6 }, () => ALNUM[randomInt(ALNUM.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}

/** `rnd.AuthToken`: 48 hex digits. */
function accessToken(): string {
  return Array.from({ length: 48 }, () => "0123456789abcdef"[randomInt(16)]).join("");
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** `clean.Scope`: lower case, sorted, de-duplicated, space-separated; "" → "*". */
export function cleanScope(scope: string): string {
  const parts = [
    ...new Set(
      scope
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ].sort();
  return parts.length === 0 ? "*" : parts.join(" ");
}

export function addSecret(
  store: SimStore,
  options: { name: string; scope: string; userName: string | null; expiresSeconds: number },
  now: Date = new Date(),
): NewSecret {
  const secret = options.userName === null ? accessToken() : appPassword();
  const scope = cleanScope(options.scope);
  const record: SimAppPassword = {
    ClientName: options.name,
    Scope: scope,
    UserName: options.userName,
    SecretSha256: sha256(secret),
    CreatedAt: now.toISOString(),
    ExpiresAt:
      options.expiresSeconds < 0 ? null : Math.floor(now.getTime() / 1000) + options.expiresSeconds,
  };
  store.update((db) => db.appPasswords.push(record));
  return { secret, kind: options.userName === null ? "Access Token" : "App Password", scope };
}

export type AuthDecision = "ok" | "unauthorized" | "forbidden";

/**
 * Whether a presented secret may use a resource: unknown or expired → 401; a scope that
 * lacks the resource, or (for folder imports) a token bound to no user, which has role
 * "none" → 403.
 */
export function authorize(
  store: SimStore,
  presented: string | null,
  resource: "files" | "photos",
  needsUser: boolean,
  now: Date = new Date(),
): AuthDecision {
  if (presented === null || presented === "") return "unauthorized";
  const hash = Buffer.from(sha256(presented), "hex");
  const record = store
    .read()
    .appPasswords.find((p) => timingSafeEqual(Buffer.from(p.SecretSha256, "hex"), hash));
  if (record === undefined) return "unauthorized";
  if (record.ExpiresAt !== null && record.ExpiresAt * 1000 < now.getTime()) return "unauthorized";
  const scopes = record.Scope.split(" ");
  if (!scopes.includes("*") && !scopes.includes(resource)) return "forbidden";
  if (needsUser && record.UserName === null) return "forbidden";
  return "ok";
}

/** `report.Credentials`: the two-column box PhotoPrism prints (to stdout). */
export function credentialsTable(secret: NewSecret): string {
  const left = [secret.kind, secret.secret];
  const right = ["Authorization Scope", secret.scope];
  const lw = Math.max(...left.map((s) => s.length)) + 2;
  const rw = Math.max(...right.map((s) => s.length)) + 2;
  const center = (s: string, w: number) => {
    const pad = w - s.length;
    return " ".repeat(Math.floor(pad / 2)) + s + " ".repeat(Math.ceil(pad / 2));
  };
  const cell = (s: string, w: number) => ` ${s}${" ".repeat(w - s.length - 1)}`;
  return [
    `┌${"─".repeat(lw)}┬${"─".repeat(rw)}┐`,
    `│${center(left[0] ?? "", lw)}│${center(right[0] ?? "", rw)}│`,
    `├${"─".repeat(lw)}┼${"─".repeat(rw)}┤`,
    `│${cell(left[1] ?? "", lw)}│${cell(right[1] ?? "", rw)}│`,
    `└${"─".repeat(lw)}┴${"─".repeat(rw)}┘`,
  ].join("\n");
}
