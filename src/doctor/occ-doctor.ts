import type { PhotoferryConfig } from "../config/resolve-config.js";
import { parseMemoriesHelp } from "../nextcloud/memories-output.js";
import { memoriesHelpCommand, statusCommand, userListCommand } from "../nextcloud/occ-commands.js";
import { OccPathError, parseVirtualPath } from "../nextcloud/occ-paths.js";
import { parseStatus } from "../nextcloud/occ-status.js";
import { parseUserList } from "../nextcloud/user-list-output.js";
import { occTarget } from "../runners/create-runner.js";
import type { CommandRunner } from "../runners/runner.js";
import { fail, skip, type CheckResult } from "./check-result.js";
import { judgeMemories, judgeOccStatus, judgeUserList } from "./nextcloud-checks.js";
import { attempt, judgeRunnerError, judgeRunnerReached } from "./runner-checks.js";

/** Nextcloud's default is 500; a larger site would look as if users were missing. */
const USER_LIST_LIMIT = 100_000;

export interface OccDoctorDeps {
  /** Throws (e.g. a RunnerError) when the config cannot make a runner. */
  makeRunner: () => CommandRunner;
  timeoutMs: number;
}

/**
 * occ's status through the configured runner, then — only when Nextcloud answers and is
 * usable — its user list and the Memories app. Each command is tried once.
 */
export async function checkOcc(
  config: PhotoferryConfig,
  includedUsers: readonly string[],
  deps: OccDoctorDeps,
): Promise<CheckResult[]> {
  const { occ, memories } = config.nextcloud;
  if (!occ.enabled) {
    return [
      skip(
        "nextcloud",
        "occ",
        "nextcloud.occ.enabled is false: Nextcloud will not show moved photos until it rescans by itself",
      ),
    ];
  }
  const target = occTarget(config);
  let runner: CommandRunner;
  try {
    runner = deps.makeRunner();
  } catch (error) {
    return [
      judgeRunnerError(target, "nextcloud", error),
      skip("nextcloud", "occ status", "no runner"),
    ];
  }
  try {
    const status = await attempt(runner, statusCommand(occ), deps.timeoutMs);
    if (!status.ran) {
      return [
        judgeRunnerError(target, "nextcloud", status.error),
        skip("nextcloud", "occ status", "occ could not be run"),
      ];
    }
    const statusResult = judgeOccStatus(parseStatus(status.result), occ);
    const results = [judgeRunnerReached(target, "nextcloud", runner.description), statusResult];
    if (statusResult.status !== "ok") {
      const why = "Nextcloud is not usable (see occ status)";
      results.push(skip("nextcloud", "Nextcloud users", why));
      if (memories.enabled) results.push(skip("nextcloud", "Memories", why));
      return results;
    }
    results.push(await checkUsers(config, includedUsers, runner, deps.timeoutMs));
    if (memories.enabled) {
      const help = await attempt(runner, memoriesHelpCommand(occ), deps.timeoutMs);
      results.push(
        help.ran
          ? judgeMemories(parseMemoriesHelp(help.result))
          : judgeRunnerError(target, "nextcloud", help.error),
      );
    } else {
      results.push(skip("nextcloud", "Memories", "nextcloud.memories.enabled is false"));
    }
    return results;
  } finally {
    await runner.close();
  }
}

async function checkUsers(
  config: PhotoferryConfig,
  includedUsers: readonly string[],
  runner: CommandRunner,
  timeoutMs: number,
): Promise<CheckResult> {
  const libraryOwners: string[] = [];
  for (const path of config.nextcloud.libraryPaths) {
    try {
      libraryOwners.push(parseVirtualPath(path).userId);
    } catch (error) {
      if (!(error instanceof OccPathError)) throw error;
      return fail("nextcloud", "Nextcloud users", error.message, "correct nextcloud.libraryPaths");
    }
  }
  const list = await attempt(
    runner,
    userListCommand(config.nextcloud.occ, USER_LIST_LIMIT),
    timeoutMs,
  );
  if (!list.ran) return judgeRunnerError(occTarget(config), "nextcloud", list.error);
  return judgeUserList(parseUserList(list.result), { libraryOwners, dataDirUsers: includedUsers });
}
