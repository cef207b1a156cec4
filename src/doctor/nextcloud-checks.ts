import { occPresets, type ResolvedOcc } from "../config/presets.js";
import type { MemoriesHelpResult } from "../nextcloud/memories-output.js";
import type { OccProblem } from "../nextcloud/occ-output.js";
import type { StatusCheck } from "../nextcloud/occ-status.js";
import type { UserListResult } from "../nextcloud/user-list-output.js";
import { fail, ok, type CheckResult } from "./check-result.js";

const area = "nextcloud";

/** occ's words, with the line of output that showed the problem. */
const said = (problem: OccProblem): string =>
  `${problem.message}${problem.lines[0] && !problem.message.includes(problem.lines[0]) ? ` ("${problem.lines[0]}")` : ""}`;

export function judgeOccStatus(check: StatusCheck, occ: ResolvedOcc): CheckResult {
  const name = "occ status";
  if (check.ok && check.status) {
    return ok(area, name, `Nextcloud ${check.status.versionstring}, occ runs as user ${occ.user}`);
  }
  const problem = check.problems[0];
  if (!problem) return fail(area, name, "occ status failed", "check nextcloud.occ");
  const failure = check.failure;
  if (failure && (failure.kind === "wrong-user" || failure.kind === "wrong-data-dir-owner")) {
    const configured = `nextcloud.occ.user is "${occ.user}" (preset ${occ.preset})`;
    const required = failure.requiredUser;
    const preset = Object.entries(occPresets).find(([, p]) => p.user === required)?.[0];
    const presetNote =
      preset && preset !== occ.preset ? `; "${required}" is the ${preset} preset's user` : "";
    return fail(area, name, `${said(failure)}; ${configured}`, `${failure.hint}${presetNote}`);
  }
  return fail(area, name, said(problem), problem.hint);
}

/** The owners of `libraryPaths` and the included users must exist in Nextcloud. */
export function judgeUserList(
  list: UserListResult,
  expected: { libraryOwners: readonly string[]; dataDirUsers: readonly string[] },
): CheckResult {
  const name = "Nextcloud users";
  const problem = list.problems[0];
  if (!list.ok) {
    return fail(area, name, problem ? said(problem) : "occ user:list failed", problem?.hint ?? "");
  }
  const known = [...list.users.keys()];
  const strangeOwners = unique(expected.libraryOwners).filter((id) => !list.users.has(id));
  if (strangeOwners.length > 0) {
    return fail(
      area,
      name,
      `nextcloud.libraryPaths names ${listOf(strangeOwners)}, not a Nextcloud user`,
      `write each as /<user id>/files/<folder>, as occ sees it; Nextcloud's users: ${listOf(known)}`,
    );
  }
  const strangers = unique(expected.dataDirUsers).filter((id) => !list.users.has(id));
  if (strangers.length > 0) {
    return fail(
      area,
      name,
      `${listOf(strangers)} ha${strangers.length === 1 ? "s" : "ve"} a folder in the data dir but no Nextcloud account, so occ cannot scan it`,
      "add them to nextcloud.users.exclude (a deleted user's leftover folder?), or check that " +
        "nextcloud.dataDir belongs to this Nextcloud",
    );
  }
  return ok(
    area,
    name,
    `${list.users.size} Nextcloud user(s); every included user and library owner is one`,
  );
}

export function judgeMemories(help: MemoriesHelpResult): CheckResult {
  const name = "Memories";
  if (help.flavour === "path") return ok(area, name, "installed (memories:index --path)");
  if (help.flavour === "folder") {
    return ok(area, name, "installed, a version before 7.6.1 (memories:index --folder)");
  }
  if (help.installed === false) {
    return fail(
      area,
      name,
      "the Memories app is not installed or not enabled",
      'install and enable it ("occ app:enable memories"), or set nextcloud.memories.enabled: false',
    );
  }
  const problem = help.problems[0];
  return fail(
    area,
    name,
    problem ? said(problem) : "memories:index --help gave no usable answer",
    problem?.hint ?? "update Memories",
  );
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];
const listOf = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(", ");
