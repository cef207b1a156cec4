import type { PhotoferryConfig } from "../config/resolve-config.js";
import { createDockerRunner } from "./docker/docker-runner.js";
import { createLocalRunner } from "./local-runner.js";
import { RunnerError, type CommandRunner } from "./runner.js";
import { createSshRunner } from "./ssh/create-ssh-runner.js";

/** Where one application's commands run, as its config section says. */
export interface RunnerTarget {
  runner: "docker" | "ssh" | "local";
  /** Container or Swarm service name; null for `local` (and for `ssh` on the host itself). */
  container: string | null;
  /** For messages: which config keys chose this target, e.g. "nextcloud.occ". */
  configKey: string;
}

/** Builds the runner for a target; nothing connects until its first command. */
export function createRunner(
  config: Pick<PhotoferryConfig, "docker" | "ssh">,
  target: RunnerTarget,
  onNotice?: (message: string) => void,
): CommandRunner {
  switch (target.runner) {
    case "local":
      return createLocalRunner(onNotice ? { onNotice } : {});
    case "ssh":
      return createSshRunner(
        config.ssh,
        { container: target.container },
        onNotice ? { onNotice } : {},
      );
    case "docker":
      if (target.container === null) {
        throw new RunnerError(
          "target-missing",
          `${target.configKey}.runner is docker but no container is set`,
          `set ${target.configKey}.container to the container or Swarm service name`,
        );
      }
      return createDockerRunner(config.docker, { container: target.container });
  }
}

export const occTarget = (config: PhotoferryConfig): RunnerTarget => ({
  runner: config.nextcloud.occ.runner,
  container: config.nextcloud.occ.container,
  configKey: "nextcloud.occ",
});

export const photoprismExecTarget = (config: PhotoferryConfig): RunnerTarget => ({
  runner: config.photoprism.exec.runner,
  container: config.photoprism.exec.container,
  configKey: "photoprism.exec",
});
