import type { Principal } from "../principal.js";

/**
 * Reachable without logging in: probes, the session/login/logout endpoints the login page
 * needs, and the web UI's own files (the login page is part of the app). Everything else
 * under `/api` and `/metrics` (including `/api/docs`) needs a principal.
 */
export function isPublicPath(method: string, path: string): boolean {
  if (path === "/healthz") return true;
  if (path === "/api/session" || path === "/api/login" || path === "/api/logout") return true;
  if (method !== "GET" && method !== "HEAD") return false;
  return !(path === "/api" || path.startsWith("/api/") || path === "/metrics");
}

/**
 * The path access control decides on. Fastify's router decodes `%XX` and accepts the
 * absolute form (`GET http://host/api/status`), so the raw URL is not what gets routed: a
 * matched request is judged by its route pattern (`/api/tokens/:id`), anything else (404s)
 * by its decoded path with repeated slashes folded and letters lowercased, which can only
 * turn a public answer into a 401. Null for a target that is not a path (`http://…`, `*`)
 * or does not decode: such requests are refused outright.
 */
export function decisionPath(routeUrl: string | undefined, rawUrl: string): string | null {
  if (!rawUrl.startsWith("/")) return null;
  if (routeUrl !== undefined) return routeUrl;
  const path = rawUrl.split(/[?#]/)[0] ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  return decoded.replace(/\/+/g, "/").toLowerCase();
}

export const isWriteMethod = (method: string): boolean =>
  method !== "GET" && method !== "HEAD" && method !== "OPTIONS";

export interface AccessFacts {
  method: string;
  /** The URL path without its query. */
  path: string;
  principal: Principal | undefined;
  /** Set when the request carried a credential that is wrong (an unknown bearer token). */
  credentialProblem?: string;
  /** Origin, Referer or Cookie present (csrf.ts `looksLikeBrowser`). */
  browser: boolean;
  /** `crossOriginProblem()` of the request. */
  crossOrigin: string | null;
  /** The `X-CSRF-Token` header matched the principal's token. */
  csrfValid: boolean;
}

export type RefusalReason =
  | "bad-token"
  | "cross-origin"
  | "login-first"
  | "token-manages-tokens"
  | "read-only-token"
  | "csrf";

export type AccessDecision =
  | { allow: true }
  | {
      allow: false;
      status: 401 | 403;
      error: "unauthorized" | "forbidden";
      message: string;
      /** Why, as a fixed word: audit entries are deduplicated on it (the message may quote the request). */
      reason: RefusalReason;
      /** Worth an `access-refused` audit entry (a plain "please log in" is not). */
      audit: boolean;
    };

const refuse = (
  status: 401 | 403,
  reason: RefusalReason,
  message: string,
  audit: boolean,
): Extract<AccessDecision, { allow: false }> => ({
  allow: false,
  status,
  error: status === 401 ? "unauthorized" : "forbidden",
  message,
  reason,
  audit,
});

/**
 * Whether a request that passed the allow-list may go on. The allow-list itself is checked
 * before this (it needs no principal). One rule for CSRF: every write made by a browser
 * (Origin, Referer or a cookie present) with anything but an API token must come from
 * photoferry's own origin and carry the principal's `X-CSRF-Token`. Scripts without those
 * headers are not browsers, so no other site can make them send anything.
 */
export function decideAccess(facts: AccessFacts): AccessDecision {
  const { method, path, principal } = facts;
  if (facts.credentialProblem !== undefined)
    return refuse(401, "bad-token", facts.credentialProblem, true);
  const write = isWriteMethod(method);
  if (path === "/api/login") {
    // No token exists before login; the origin check alone keeps other sites from using it.
    return write && facts.browser && facts.crossOrigin !== null
      ? refuse(403, "cross-origin", facts.crossOrigin, true)
      : { allow: true };
  }
  if (!principal) {
    return isPublicPath(method, path)
      ? { allow: true }
      : refuse(
          401,
          "login-first",
          "log in first: photoferry needs a password or an API token for this",
          false,
        );
  }
  if (principal.kind === "token" && (path === "/api/tokens" || path.startsWith("/api/tokens/"))) {
    return refuse(
      403,
      "token-manages-tokens",
      "API tokens cannot manage tokens; log in to the web UI to do that",
      true,
    );
  }
  if (!write) return { allow: true };
  if (!principal.canWrite) {
    return refuse(
      403,
      "read-only-token",
      "this API token may only read; create a write token to change things",
      true,
    );
  }
  if (principal.kind !== "token" && facts.browser) {
    if (facts.crossOrigin !== null) return refuse(403, "cross-origin", facts.crossOrigin, true);
    if (!facts.csrfValid) {
      return refuse(
        403,
        "csrf",
        "the X-CSRF-Token header is missing or wrong; reload the page (it comes from GET /api/session)",
        true,
      );
    }
  }
  return { allow: true };
}
