import { createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/**
 * CSRF tokens are derived, not stored: HMAC-SHA256 of what the request is authenticated as
 * (`session:<id hash>`, `header:<user>`, `open`) under a key kept in the database. A page
 * on another site cannot read them (no CORS), so it cannot send the `X-CSRF-Token` header.
 */
export function csrfToken(key: Buffer, subject: string): string {
  return createHmac("sha256", key).update(subject).digest("base64url");
}

export function csrfTokenMatches(
  key: Buffer,
  subject: string,
  presented: string | readonly string[] | undefined,
): boolean {
  if (typeof presented !== "string") return false;
  const expected = Buffer.from(csrfToken(key, subject));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface BrowserHeaders {
  origin?: string | undefined;
  referer?: string | undefined;
  cookie?: string | undefined;
  /** Sent by every current browser on every request; a page cannot leave it out. */
  secFetchSite?: string | undefined;
}

/**
 * Browsers send `Origin` with every cross-site POST/PUT/DELETE (as `null` at worst) and
 * usually a `Referer`; they attach cookies on their own. A request with none of the three
 * comes from a script or a tool (curl, Prometheus), which no other site can drive.
 */
export function looksLikeBrowser(headers: BrowserHeaders): boolean {
  return (
    headers.origin !== undefined ||
    headers.referer !== undefined ||
    headers.cookie !== undefined ||
    headers.secFetchSite !== undefined
  );
}

/** The `host[:port]` of a URL, lowercased; null for `null` origins and malformed text. */
function hostOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:"
      ? parsed.host.toLowerCase()
      : null;
  } catch {
    return null;
  }
}

/**
 * Why a browser request does not come from photoferry's own pages, or null when it does.
 * `allowedHosts` are the `host[:port]` the UI is served under: the request's `Host` (or the
 * trusted proxy's `X-Forwarded-Host`) and the host of `notify.uiUrl`. `Origin` wins over
 * `Referer`; with neither there is nothing to check (the CSRF token still is).
 */
export function crossOriginProblem(
  headers: BrowserHeaders,
  allowedHosts: readonly string[],
): string | null {
  const source = headers.origin ?? headers.referer;
  if (source === undefined) return null;
  const host = hostOf(source);
  const allowed = allowedHosts.map((entry) => entry.toLowerCase());
  if (host !== null && allowed.includes(host)) return null;
  const which = headers.origin === undefined ? "Referer" : "Origin";
  return `the request comes from another site (${which}: ${source.slice(0, 200)}); use photoferry's own pages`;
}

/**
 * Why a browser request's `Host` may be a DNS-rebinding page's, or null when it is not.
 * A page on `evil.example` whose name the attacker re-points at photoferry's address is
 * "same origin" to itself, so Origin checks pass; but its `Host` is the attacker's name.
 * Accepted: IP literals, `localhost`, and the host of `notify.uiUrl` (`uiHost`, any port).
 */
export function rebindingProblem(host: string | undefined, uiHost: string | null): string | null {
  const name = hostnameOf(host ?? "");
  if (name !== null) {
    const bare = name.replace(/^\[|\]$/g, "");
    if (isIP(bare) !== 0 || bare === "localhost") return null;
    if (uiHost !== null && name === hostnameOf(uiHost)) return null;
  }
  return (
    `this page was opened under the name '${(host ?? "").slice(0, 100)}', which photoferry ` +
    "does not know; open it by IP address or localhost, or set notify.uiUrl to the address " +
    "you use (needed without a password: it keeps other sites from taking over the name)"
  );
}

function hostnameOf(host: string): string | null {
  if (host === "") return null;
  try {
    return new URL(`http://${host}/`).hostname.toLowerCase();
  } catch {
    return null;
  }
}
