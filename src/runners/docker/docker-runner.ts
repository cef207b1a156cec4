import Docker from "dockerode";
import type { CommandResult, CommandRunner, CommandSpec, RunOptions } from "../runner.js";
import { RunnerError } from "../runner.js";
import { runInContainer } from "./container-exec.js";
import {
  describeAddress,
  parseDockerHost,
  proxyAddress,
  type EngineAddress,
} from "./docker-host.js";
import { engineError } from "./engine-errors.js";
import { runShortExec, type ContainerRef } from "./exec-session.js";
import { TIMEOUT_PROBE_ARGV } from "./exec-timeout.js";
import { resolveContainer, resolveProxyOnNode, resolveServiceTask } from "./target-resolution.js";

const SETUP_MIN_MS = 5000;

function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // The abandoned request may still fail later; nobody is waiting for it then.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** photoferry's `docker` config section (the fields the runner reads). */
export interface DockerRunnerConfig {
  host: string;
  swarm: "auto" | "on" | "off";
  socketProxyService?: string | undefined;
}

/** `container` is a container name, or in Swarm mode a service name. */
export interface DockerTarget {
  container: string;
}

interface SwarmState {
  active: boolean;
  nodeId: string | undefined;
}

/**
 * Runs commands in a container through the Docker Engine API. The target is looked up on
 * every run (containers get recreated, Swarm tasks move between nodes); only the Swarm
 * state and each container's `timeout` probe are remembered.
 */
export class DockerRunner implements CommandRunner {
  private readonly docker: Docker;
  private readonly engine: string;
  private swarm: SwarmState | undefined;
  private readonly timeoutProbes = new Map<string, Promise<boolean>>();
  private readonly proxyClients = new Map<string, Docker>();
  private lastDescription: string;

  constructor(
    private readonly config: DockerRunnerConfig,
    private readonly target: DockerTarget,
    address: EngineAddress = parseDockerHost(config.host),
  ) {
    this.docker = new Docker(address);
    this.engine = describeAddress(address);
    this.lastDescription =
      config.swarm === "off"
        ? `docker container ${target.container}`
        : `docker ${target.container} (swarm: ${config.swarm})`;
  }

  get description(): string {
    return this.lastDescription;
  }

  async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
    if (spec.argv.length === 0) {
      throw new RunnerError("exec-failed", "No command given", "Configure the command to run.");
    }
    // dockerode sets no deadline on API calls: an engine that accepts connections but never
    // answers would hang the run. Finding the target gets the command's own time limit.
    const { ref, hasTimeout } = await withDeadline(
      (async () => {
        const found = await this.resolve();
        return { ref: found, hasTimeout: await this.hasTimeout(found) };
      })(),
      Math.max(options.timeoutMs, SETUP_MIN_MS),
      () =>
        new RunnerError(
          "daemon-unreachable",
          `The Docker engine at ${this.engine} did not answer while looking up ${this.target.container}`,
          "The engine (or the socket proxy in front of it) accepts connections but does not " +
            "answer: check that it is healthy. photoferry retries.",
        ),
    );
    return runInContainer(ref, spec, options, hasTimeout);
  }

  close(): Promise<void> {
    this.timeoutProbes.clear();
    this.proxyClients.clear();
    return Promise.resolve();
  }

  private async resolve(): Promise<ContainerRef> {
    const swarm = await this.swarmState();
    const name = this.target.container;
    if (!swarm.active) {
      const containerId = await resolveContainer(this.docker, this.engine, name);
      this.lastDescription = `docker container ${name}`;
      return {
        docker: this.docker,
        containerId,
        engine: this.engine,
        label: `container "${name}"`,
      };
    }
    let task;
    try {
      task = await resolveServiceTask(this.docker, this.engine, name, swarm.nodeId);
    } catch (error) {
      // A plain container on a Swarm node is still a valid target.
      if (!(error instanceof RunnerError) || error.code !== "target-missing") throw error;
      const containerId = await this.containerOrServiceMissing(name, error);
      this.lastDescription = `docker container ${name}`;
      return {
        docker: this.docker,
        containerId,
        engine: this.engine,
        label: `container "${name}"`,
      };
    }
    const shortTask = task.taskId.slice(0, 12);
    this.lastDescription = `swarm service ${name} (task ${shortTask} on node ${task.nodeId.slice(0, 12)})`;
    const label = `task ${shortTask} of service "${name}"`;
    if (task.nodeId === swarm.nodeId) {
      return { docker: this.docker, containerId: task.containerId, engine: this.engine, label };
    }
    const proxyService = this.config.socketProxyService;
    if (!proxyService) {
      throw new RunnerError(
        "exec-failed",
        `Service "${name}" runs on another node (${task.nodeId}) and no socket proxy is configured`,
        "Set docker.socketProxyService to a docker-socket-proxy deployed with mode: global, or " +
          "pin the service to photoferry's node with a placement constraint.",
      );
    }
    const ip = await resolveProxyOnNode(this.docker, this.engine, proxyService, task.nodeId);
    const address = proxyAddress(ip);
    let client = this.proxyClients.get(ip);
    if (!client) {
      client = new Docker(address);
      this.proxyClients.set(ip, client);
    }
    return {
      docker: client,
      containerId: task.containerId,
      engine: describeAddress(address),
      label,
    };
  }

  private async containerOrServiceMissing(name: string, serviceError: RunnerError) {
    try {
      return await resolveContainer(this.docker, this.engine, name);
    } catch (error) {
      if (error instanceof RunnerError && error.code === "target-missing") {
        throw new RunnerError(
          "target-missing",
          `There is neither a Swarm service nor a container named "${name}"`,
          serviceError.hint,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async swarmState(): Promise<SwarmState> {
    if (this.swarm) return this.swarm;
    if (this.config.swarm === "off") {
      this.swarm = { active: false, nodeId: undefined };
      return this.swarm;
    }
    let info: { Swarm?: { LocalNodeState?: string; NodeID?: string } };
    try {
      info = (await this.docker.info()) as typeof info;
    } catch (error) {
      throw engineError(error, { engine: this.engine, action: "asking whether Swarm is active" });
    }
    const active = info.Swarm?.LocalNodeState === "active";
    if (this.config.swarm === "on" && !active) {
      throw new RunnerError(
        "exec-failed",
        `docker.swarm is "on" but the engine at ${this.engine} is not part of a Swarm`,
        'Set docker.swarm to "auto" or "off", or point docker.host at a Swarm node.',
      );
    }
    this.swarm = { active, nodeId: info.Swarm?.NodeID || undefined };
    return this.swarm;
  }

  /** Probed once per container: does `timeout -k` work there? */
  private hasTimeout(ref: ContainerRef): Promise<boolean> {
    const key = `${ref.engine} ${ref.containerId}`;
    let probe = this.timeoutProbes.get(key);
    if (!probe) {
      probe = runShortExec(ref, { argv: TIMEOUT_PROBE_ARGV, env: [] }, 10_000).then(
        (result) => result?.exitCode === 0,
      );
      // A failed probe (engine unreachable) is not remembered, so the next run asks again.
      probe.catch(() => this.timeoutProbes.delete(key));
      this.timeoutProbes.set(key, probe);
    }
    return probe;
  }
}

/** Builds the runner for one target from photoferry's `docker` config section. */
export function createDockerRunner(config: DockerRunnerConfig, target: DockerTarget): DockerRunner {
  return new DockerRunner(config, target);
}
