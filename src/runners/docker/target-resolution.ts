import type Docker from "dockerode";
import { RunnerError } from "../runner.js";
import { engineError, statusCodeOf } from "./engine-errors.js";
import {
  chooseProxyOnNode,
  chooseServiceTask,
  type RunningTask,
  type SwarmTask,
} from "./swarm-tasks.js";

/** A running container found by name: its id. */
export async function resolveContainer(
  docker: Docker,
  engine: string,
  name: string,
): Promise<string> {
  let info: Docker.ContainerInspectInfo;
  try {
    info = await docker.getContainer(name).inspect();
  } catch (error) {
    if (statusCodeOf(error) === 404) {
      throw new RunnerError(
        "target-missing",
        `There is no container named "${name}" on the Docker engine at ${engine}`,
        "Check the container name in the config (docker ps shows the names); with Docker " +
          "Compose it is often <project>-<service>-1 unless container_name is set.",
        { cause: error },
      );
    }
    throw engineError(error, { engine, action: `looking up container ${name}` });
  }
  const state = info.State;
  if (state.Restarting) {
    throw new RunnerError(
      "target-restarting",
      `Container "${name}" is restarting`,
      "photoferry retries when it is up again; if it keeps restarting, read its log (docker logs).",
    );
  }
  if (!state.Running || state.Paused) {
    throw new RunnerError(
      "target-not-running",
      `Container "${name}" is ${state.Paused ? "paused" : state.Status || "not running"}`,
      state.Paused
        ? `Unpause it: docker unpause ${name}.`
        : `Start it (docker start ${name}), or check why it stopped (docker logs ${name}).`,
    );
  }
  return info.Id;
}

/** The running task of a Swarm service: its container and node. */
export async function resolveServiceTask(
  docker: Docker,
  engine: string,
  service: string,
  localNodeId: string | undefined,
): Promise<RunningTask> {
  let tasks: SwarmTask[];
  try {
    tasks = await listTasks(docker, engine, { service: [service], "desired-state": ["running"] });
  } catch (error) {
    // The Engine answers 404 when the service filter names no service.
    if (error instanceof RunnerError && statusCodeOf(error.cause) === 404) {
      throw serviceMissing(service, error.cause);
    }
    throw error;
  }
  const choice = chooseServiceTask(tasks, localNodeId);
  switch (choice.kind) {
    case "running":
      return choice.task;
    case "starting":
      throw new RunnerError(
        "target-restarting",
        `Swarm service "${service}" has no running task yet (${choice.states.join(", ")})` +
          (choice.message ? `: ${choice.message}` : ""),
        "photoferry retries; if the task never starts, see docker service ps --no-trunc " + service,
      );
    case "none":
      throw await noTaskError(docker, engine, service);
  }
}

async function noTaskError(docker: Docker, engine: string, service: string): Promise<RunnerError> {
  try {
    await docker.getService(service).inspect();
  } catch (error) {
    if (statusCodeOf(error) === 404) return serviceMissing(service, error);
    return engineError(error, { engine, action: `looking up service ${service}` });
  }
  return new RunnerError(
    "target-not-running",
    `Swarm service "${service}" has no task that should be running`,
    `Is it scaled to 0? Scale it up: docker service scale ${service}=1.`,
  );
}

function serviceMissing(service: string, cause: unknown): RunnerError {
  return new RunnerError(
    "target-missing",
    `There is no Swarm service named "${service}"`,
    "Check the name in the config: with docker stack deploy it is <stack>_<service> " +
      "(docker service ls shows them).",
    { cause },
  );
}

/** The overlay IP of the socket proxy's task on `nodeId`. */
export async function resolveProxyOnNode(
  docker: Docker,
  engine: string,
  proxyService: string,
  nodeId: string,
): Promise<string> {
  const tasks = await listTasks(docker, engine, { service: [proxyService], node: [nodeId] });
  const choice = chooseProxyOnNode(tasks, nodeId);
  if (choice.kind === "found") return choice.ip;
  throw new RunnerError(
    "daemon-unreachable",
    `Cannot reach node ${nodeId}: ${choice.reason}`,
    `Run the socket proxy "${proxyService}" as a global service (deploy mode: global) on an ` +
      "overlay network that photoferry is attached to.",
  );
}

async function listTasks(
  docker: Docker,
  engine: string,
  filters: Record<string, string[]>,
): Promise<SwarmTask[]> {
  try {
    return (await docker.listTasks({ filters })) as SwarmTask[];
  } catch (error) {
    throw engineError(error, { engine, action: "listing Swarm tasks" });
  }
}
