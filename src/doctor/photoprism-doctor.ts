import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import { PhotoPrismApi } from "../photoprism/photoprism-api.js";
import { photoprismExecTarget } from "../runners/create-runner.js";
import type { CommandRunner } from "../runners/runner.js";
import { fail, skip, type CheckResult } from "./check-result.js";
import {
  judgeApiAuth,
  judgeApiStatus,
  judgeExecVersion,
  type ApiOutcome,
} from "./photoprism-checks.js";
import { attempt, judgeRunnerError, judgeRunnerReached } from "./runner-checks.js";

/** A SHA-1 no file has: looking it up proves the app password without touching anything. */
const NO_SUCH_SHA1 = "0".repeat(40);

export interface PhotoPrismDoctorDeps {
  makeRunner: () => CommandRunner;
  fetch?: FetchLike;
  timeoutMs: number;
}

/** How the import is started (API or CLI), and the API when the planner asks it for duplicates. */
export async function checkPhotoPrism(
  config: PhotoferryConfig,
  deps: PhotoPrismDoctorDeps,
): Promise<CheckResult[]> {
  const { photoprism, dedupe } = config;
  const results: CheckResult[] = [];
  switch (photoprism.trigger) {
    case "none":
      results.push(
        skip(
          "photoprism",
          "import trigger",
          "trigger: none — photoferry only fills the import folder; PhotoPrism must import on its own (its auto-import setting)",
        ),
      );
      break;
    case "exec":
      results.push(...(await checkExec(config, deps)));
      break;
    case "api": // checked with the API below
      break;
  }
  const lookup = dedupe.photoprismLookup && photoprism.api.url !== null && photoprism.api.token;
  if (photoprism.trigger === "api" || lookup) results.push(...(await checkApi(config, deps)));
  return results;
}

async function checkExec(
  config: PhotoferryConfig,
  deps: PhotoPrismDoctorDeps,
): Promise<CheckResult[]> {
  const { exec } = config.photoprism;
  const target = photoprismExecTarget(config);
  let runner: CommandRunner;
  try {
    runner = deps.makeRunner();
  } catch (error) {
    return [judgeRunnerError(target, "photoprism", error)];
  }
  try {
    const spec = { argv: [...exec.command, "--version"], user: exec.user };
    const version = await attempt(runner, spec, deps.timeoutMs);
    if (!version.ran) return [judgeRunnerError(target, "photoprism", version.error)];
    return [
      judgeRunnerReached(target, "photoprism", runner.description),
      judgeExecVersion(version.result),
    ];
  } finally {
    await runner.close();
  }
}

async function checkApi(
  config: PhotoferryConfig,
  deps: PhotoPrismDoctorDeps,
): Promise<CheckResult[]> {
  const { url, token } = config.photoprism.api;
  const why =
    config.photoprism.trigger === "api"
      ? "trigger: api starts imports through it"
      : "dedupe.photoprismLookup asks it for duplicates";
  if (!url || !token) {
    return [
      fail(
        "photoprism",
        "PhotoPrism API",
        `photoprism.api.${url ? "token" : "url"} is not set, but ${why}`,
        url
          ? "create an app password in PhotoPrism (Settings → Account → Apps and Devices) and put it in photoprism.api.tokenFile or PHOTOFERRY_PHOTOPRISM_TOKEN"
          : "set photoprism.api.url, e.g. http://photoprism:2342",
      ),
    ];
  }
  let api: PhotoPrismApi;
  try {
    api = new PhotoPrismApi({
      url,
      token,
      requestTimeoutMs: deps.timeoutMs,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  } catch (error) {
    return [
      fail("photoprism", "PhotoPrism API", (error as Error).message, "correct photoprism.api"),
    ];
  }
  const status = judgeApiStatus(url, await outcomeOf(api.status()));
  if (status.status !== "ok") {
    return [status, skip("photoprism", "PhotoPrism app password", "PhotoPrism did not answer")];
  }
  return [status, judgeApiAuth(await outcomeOf(api.fileBySha1(NO_SUCH_SHA1)))];
}

async function outcomeOf<T>(work: Promise<T>): Promise<ApiOutcome<T>> {
  try {
    return { answered: true, value: await work };
  } catch (error) {
    return { answered: false, error };
  }
}
