import type { PhotoferryConfig } from "../config/resolve-config.js";
import { errorCode } from "../errno.js";
import { nodeHttpFetch, type FetchLike } from "../photoprism/node-http-fetch.js";
import { ok, skip, warn, type CheckResult } from "./check-result.js";
import { ntfyAuthorization } from "../notify/ntfy-channel.js";

const name = "ntfy";

export type HealthOutcome =
  { answered: true; status: number; text: string } | { answered: false; reason: string };

/**
 * ntfy answers `GET /v1/health` with `{"healthy":true}`. Anything else is only a warning:
 * notifications are optional, and photoferry works without them.
 */
export function judgeNtfyHealth(origin: string, outcome: HealthOutcome): CheckResult {
  const fixUrl = "check notify.ntfy.url (the ntfy server's address, without the topic)";
  if (!outcome.answered) {
    return warn("notify", name, `${origin} could not be reached: ${outcome.reason}`, fixUrl);
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return warn(
      "notify",
      name,
      `${origin} refused photoferry's token (HTTP ${outcome.status})`,
      "check the ntfy token (notify.ntfy.tokenFile or PHOTOFERRY_NTFY_TOKEN)",
    );
  }
  if (outcome.status !== 200) {
    return warn("notify", name, `${origin}/v1/health answered HTTP ${outcome.status}`, fixUrl);
  }
  let healthy: unknown;
  try {
    healthy = (JSON.parse(outcome.text) as { healthy?: unknown }).healthy;
  } catch {
    healthy = undefined;
  }
  if (healthy === true) return ok("notify", name, `${origin} is healthy`);
  return warn(
    "notify",
    name,
    `${origin}/v1/health did not say {"healthy":true}`,
    `${fixUrl}; is it an ntfy server?`,
  );
}

export interface NtfyDoctorDeps {
  fetch?: FetchLike;
  timeoutMs: number;
}

export async function checkNtfy(
  config: PhotoferryConfig,
  deps: NtfyDoctorDeps,
): Promise<CheckResult[]> {
  const { url } = config.notify.ntfy;
  if (!url) return [skip("notify", name, "notify.ntfy.url is not set: no push notifications")];
  const base = new URL(url);
  const health = new URL(`${base.pathname.replace(/\/+$/, "")}/v1/health`, base);
  const authorization = ntfyAuthorization(config.notify.ntfy) ?? null;
  return [judgeNtfyHealth(base.origin, await askHealth(health, authorization, deps))];
}

async function askHealth(
  url: URL,
  authorization: string | null,
  deps: NtfyDoctorDeps,
): Promise<HealthOutcome> {
  const fetch = deps.fetch ?? nodeHttpFetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  try {
    const response = await fetch(url, {
      method: "GET",
      headers: authorization ? { Authorization: authorization } : {},
      signal: controller.signal,
    });
    return { answered: true, status: response.status, text: await response.text() };
  } catch (error) {
    if (controller.signal.aborted) {
      return { answered: false, reason: `no answer within ${Math.round(deps.timeoutMs / 1000)} s` };
    }
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = errorCode(cause) ?? errorCode(error) ?? (error as Error).message;
    return { answered: false, reason };
  } finally {
    clearTimeout(timer);
  }
}
