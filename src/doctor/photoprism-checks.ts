import { PhotoPrismApiError } from "../photoprism/photoprism-api-error.js";
import type { CommandResult } from "../runners/runner.js";
import { fail, ok, type CheckResult } from "./check-result.js";

const area = "photoprism";

/** What a call to the API came back with: its answer, or what it threw. */
export type ApiOutcome<T> = { answered: true; value: T } | { answered: false; error: unknown };

function apiFailure(name: string, error: unknown, fallbackFix: string): CheckResult {
  if (error instanceof PhotoPrismApiError) return fail(area, name, error.message, error.hint);
  const message = error instanceof Error ? error.message : String(error);
  return fail(area, name, message, fallbackFix);
}

/** `GET /api/v1/status` needs no password: it says whether PhotoPrism is there at all. */
export function judgeApiStatus(url: string, outcome: ApiOutcome<{ status: string }>): CheckResult {
  const name = "PhotoPrism API";
  if (!outcome.answered) return apiFailure(name, outcome.error, "check photoprism.api.url");
  return ok(area, name, `${url} answers (${outcome.value.status})`);
}

/**
 * A look-up of a SHA-1 no file has (forty zeros) needs a valid app password: "not found"
 * means PhotoPrism accepted it; 401/403 carry their own hint.
 */
export function judgeApiAuth(outcome: ApiOutcome<unknown>): CheckResult {
  const name = "PhotoPrism app password";
  if (!outcome.answered) {
    return apiFailure(
      name,
      outcome.error,
      "check photoprism.api.tokenFile or PHOTOFERRY_PHOTOPRISM_TOKEN",
    );
  }
  return ok(area, name, "accepted (an authenticated file look-up worked)");
}

/** `photoprism --version` through the runner: the command, the user and the container fit. */
export function judgeExecVersion(result: CommandResult): CheckResult {
  const name = "photoprism command";
  const lines = `${result.stdout}\n${result.stderr}`
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (result.exitCode === 0) {
    return ok(area, name, lines[0] ?? "`photoprism --version` worked");
  }
  const how =
    result.exitCode === null
      ? result.timedOut
        ? "did not finish in time"
        : "was stopped"
      : `exited with code ${result.exitCode}`;
  return fail(
    area,
    name,
    `\`photoprism --version\` ${how}${lines.length ? `: ${lines.at(-1)}` : ""}`,
    "check photoprism.exec.command (the photoprism program), photoprism.exec.user and that " +
      "photoprism.exec.container is PhotoPrism's container",
  );
}
