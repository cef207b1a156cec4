import type { CheckResult, CheckStatus } from "../../../src/doctor/check-result.js";
import { valueAt } from "../config/use-config.js";

export type { CheckResult, CheckStatus };

/** How each status reads on screen: a symbol for the eye, a word for screen readers. */
export const statusLook: Record<
  CheckStatus,
  { symbol: string; word: string; tone: "ok" | "warn" | "bad" | "muted" }
> = {
  ok: { symbol: "✓", word: "OK", tone: "ok" },
  warn: { symbol: "!", word: "Warning", tone: "warn" },
  fail: { symbol: "✗", word: "Failed", tone: "bad" },
  skip: { symbol: "–", word: "Skipped", tone: "muted" },
};

/** One line summing up a test: "3 OK, 1 warning, 1 failed". */
export function summarize(results: readonly CheckResult[]): string {
  if (results.length === 0) return "Nothing was checked.";
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const parts: string[] = [];
  const ok = count("ok");
  const warn = count("warn");
  const fail = count("fail");
  const skip = count("skip");
  if (ok) parts.push(`${ok} OK`);
  if (warn) parts.push(`${warn} ${warn === 1 ? "warning" : "warnings"}`);
  if (fail) parts.push(`${fail} failed`);
  if (skip) parts.push(`${skip} skipped`);
  return parts.join(", ");
}

/** The worst status, for the heading badge: fail > warn > ok > skip. */
export function worstStatus(results: readonly CheckResult[]): CheckStatus {
  for (const status of ["fail", "warn", "ok"] as const) {
    if (results.some((result) => result.status === status)) return status;
  }
  return "skip";
}

export type App = "nextcloud" | "photoprism";

/** Where a program of this app runs, in words for the page. */
export interface RunnerDescription {
  kind: "docker" | "ssh" | "local" | "api" | "off";
  text: string;
}

const str = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

/**
 * Says how photoferry reaches the app, from the config in use: occ for Nextcloud (its
 * default container depends on the preset), `photoprism import` or the REST API for PhotoPrism.
 */
export function describeRunner(config: unknown, app: App): RunnerDescription {
  if (app === "nextcloud") {
    const occ = (...path: string[]) => valueAt(config, ["nextcloud", "occ", ...path]);
    if (occ("enabled") === false)
      return { kind: "off", text: "occ is turned off (nextcloud.occ.enabled)" };
    const container =
      str(occ("container")) ?? (occ("preset") === "aio" ? "nextcloud-aio-nextcloud" : "nextcloud");
    return runnerWords(config, str(occ("runner")) ?? "docker", "occ", container);
  }
  const trigger = str(valueAt(config, ["photoprism", "trigger"]));
  if (trigger === "none") {
    return { kind: "off", text: "PhotoPrism imports on its own (photoprism.trigger: none)" };
  }
  if (trigger === "api") {
    const url = str(valueAt(config, ["photoprism", "api", "url"]));
    return { kind: "api", text: `PhotoPrism's REST API${url ? ` at ${url}` : ""}` };
  }
  const exec = (...path: string[]) => valueAt(config, ["photoprism", "exec", ...path]);
  return runnerWords(
    config,
    str(exec("runner")) ?? "docker",
    "photoprism import",
    str(exec("container")) ?? "photoprism",
  );
}

function runnerWords(
  config: unknown,
  runner: string,
  program: string,
  container: string,
): RunnerDescription {
  switch (runner) {
    case "docker": {
      const host = str(valueAt(config, ["docker", "host"])) ?? "unix:///var/run/docker.sock";
      return { kind: "docker", text: `${program} through Docker container ${container} (${host})` };
    }
    case "ssh": {
      const host = str(valueAt(config, ["ssh", "host"])) ?? "(no ssh.host set)";
      const user = str(valueAt(config, ["ssh", "user"])) ?? "photoferry";
      return { kind: "ssh", text: `${program} over SSH as ${user}@${host}` };
    }
    default:
      return { kind: "local", text: `${program} as a local program on this machine` };
  }
}
