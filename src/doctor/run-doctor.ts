import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { UserDirectoryFs } from "../discovery/user-directory.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import {
  createRunner,
  occTarget,
  photoprismExecTarget,
  type RunnerTarget,
} from "../runners/create-runner.js";
import type { CommandRunner } from "../runners/runner.js";
import { checkAreas, type CheckResult } from "./check-result.js";
import type { RunningAs } from "./folder-checks.js";
import { checkFolders } from "./folder-doctor.js";
import { nodeDoctorFs, type DoctorFs } from "./folder-probe.js";
import { checkNtfy } from "./ntfy-doctor.js";
import { checkOcc } from "./occ-doctor.js";
import { checkPhotoPrism } from "./photoprism-doctor.js";

/**
 * Per command and per HTTP call. occ's three commands run one after another, the other
 * applications alongside, so even a doctor where everything hangs ends within a minute.
 */
export const DOCTOR_TIMEOUT_MS = 15_000;

export interface DoctorDeps {
  fs?: DoctorFs;
  discoveryFs?: UserDirectoryFs;
  who?: RunningAs;
  makeRunner?: (target: RunnerTarget) => CommandRunner;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Every check doctor knows, grouped by area in report order. Never throws for a bad setup. */
export async function runDoctor(
  config: PhotoferryConfig,
  deps: DoctorDeps = {},
): Promise<CheckResult[]> {
  const timeoutMs = deps.timeoutMs ?? DOCTOR_TIMEOUT_MS;
  const makeRunner = deps.makeRunner ?? ((target: RunnerTarget) => createRunner(config, target));
  const fetch = deps.fetch ? { fetch: deps.fetch } : {};
  const folders = await checkFolders(config, {
    fs: deps.fs ?? nodeDoctorFs,
    ...(deps.discoveryFs ? { discoveryFs: deps.discoveryFs } : {}),
    who: deps.who ?? {
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      groups: process.getgroups?.() ?? [],
    },
  });
  const remote = await Promise.all([
    checkOcc(config, folders.includedUsers, {
      makeRunner: () => makeRunner(occTarget(config)),
      timeoutMs,
    }),
    checkPhotoPrism(config, {
      makeRunner: () => makeRunner(photoprismExecTarget(config)),
      timeoutMs,
      ...fetch,
    }),
    checkNtfy(config, { timeoutMs, ...fetch }),
  ]);
  return byArea([...folders.results, ...remote.flat()]);
}

/** Stable: within an area, checks keep the order they ran in. */
export function byArea(results: readonly CheckResult[]): CheckResult[] {
  return checkAreas.flatMap((area) => results.filter((result) => result.area === area));
}
