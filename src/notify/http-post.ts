import { errorCode } from "../errno.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import { retryAfterMs } from "./retry-policy.js";

/** How one delivery attempt ended; the queue decides from it whether and when to retry. */
export type SendOutcome =
  | { kind: "sent"; status: number }
  | { kind: "rate-limited"; retryAfterMs: number | undefined }
  /** The server said no (4xx other than 429): retrying the same request cannot help. */
  | { kind: "refused"; status: number; detail: string }
  /** Network trouble or a 5xx: worth retrying later. */
  | { kind: "failed"; detail: string };

export interface PostOptions {
  fetch: FetchLike;
  timeoutMs: number;
  now: () => number;
  /** Values never to repeat, should the server echo them back in its error text. */
  secrets: readonly string[];
}

const MAX_DETAIL_CHARS = 200;

export async function postJson(
  url: URL,
  body: unknown,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<SendOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) {
      return { kind: "sent", status: response.status };
    }
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers.get("retry-after"), options.now());
      return { kind: "rate-limited", retryAfterMs: wait };
    }
    const detail = redact(describeBody(response.status, text), options.secrets);
    return response.status >= 400 && response.status < 500
      ? { kind: "refused", status: response.status, detail }
      : { kind: "failed", detail };
  } catch (error) {
    if (controller.signal.aborted) {
      return {
        kind: "failed",
        detail: `no answer within ${Math.round(options.timeoutMs / 1000)} s`,
      };
    }
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = errorCode(cause) ?? errorCode(error) ?? (error as Error).message;
    return { kind: "failed", detail: redact(`not reachable (${reason})`, options.secrets) };
  } finally {
    clearTimeout(timer);
  }
}

/** ntfy answers errors as `{"error": "..."}`; other servers with whatever text they like. */
function describeBody(status: number, text: string): string {
  let said = text.trim();
  try {
    const parsed = JSON.parse(said) as { error?: unknown; message?: unknown };
    const field = parsed.error ?? parsed.message;
    if (typeof field === "string") said = field;
  } catch {
    // not JSON: keep the text
  }
  said = said.replace(/\s+/g, " ").slice(0, MAX_DETAIL_CHARS);
  return said ? `HTTP ${status}: ${said}` : `HTTP ${status}`;
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result;
}
