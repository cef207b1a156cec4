/**
 * Pure choices over the Engine's `GET /tasks` answer: which task of a service to exec into,
 * and which docker-socket-proxy task reaches the node it runs on. The fields are the subset
 * of the Engine API's Task object that these choices read.
 */
export interface SwarmTask {
  ID?: string;
  NodeID?: string;
  DesiredState?: string;
  CreatedAt?: string;
  Slot?: number;
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string };
  };
  NetworksAttachments?: {
    Network?: { Spec?: { Name?: string; Ingress?: boolean } };
    Addresses?: string[];
  }[];
}

export interface RunningTask {
  taskId: string;
  containerId: string;
  nodeId: string;
}

export type ServiceTaskChoice =
  | { kind: "running"; task: RunningTask }
  /** Tasks exist but none runs yet (pending, preparing, starting …): worth retrying. */
  | { kind: "starting"; states: string[]; message: string }
  | { kind: "none" };

/**
 * The service task to exec into: a running one with a container, preferring one on this
 * node (no proxy hop), then the oldest (the same one each time while nothing changes).
 */
export function chooseServiceTask(
  tasks: readonly SwarmTask[],
  localNodeId: string | undefined,
): ServiceTaskChoice {
  const wanted = tasks.filter((task) => task.DesiredState === "running");
  const running = wanted
    .filter((task) => task.Status?.State === "running" && task.Status.ContainerStatus?.ContainerID)
    .sort((a, b) => byLocalThenAge(a, b, localNodeId));
  const first = running[0];
  if (first) {
    return {
      kind: "running",
      task: {
        taskId: first.ID ?? "",
        containerId: first.Status?.ContainerStatus?.ContainerID ?? "",
        nodeId: first.NodeID ?? "",
      },
    };
  }
  if (wanted.length > 0) {
    const states = wanted.map((task) => task.Status?.State ?? "unknown");
    const message = wanted
      .map((task) => task.Status?.Err ?? task.Status?.Message ?? "")
      .filter((text) => text !== "")
      .join("; ");
    return { kind: "starting", states, message };
  }
  return { kind: "none" };
}

function byLocalThenAge(a: SwarmTask, b: SwarmTask, localNodeId: string | undefined): number {
  const localA = a.NodeID === localNodeId ? 0 : 1;
  const localB = b.NodeID === localNodeId ? 0 : 1;
  if (localA !== localB) return localA - localB;
  return (
    (a.CreatedAt ?? "").localeCompare(b.CreatedAt ?? "") || (a.ID ?? "").localeCompare(b.ID ?? "")
  );
}

export type ProxyChoice =
  | { kind: "found"; ip: string; taskId: string; network: string }
  | { kind: "missing"; reason: string };

/**
 * The overlay address of the socket-proxy task running on `nodeId`. The ingress network is
 * skipped: it only carries published ports, not service-to-service traffic.
 */
export function chooseProxyOnNode(tasks: readonly SwarmTask[], nodeId: string): ProxyChoice {
  const onNode = tasks.filter((task) => task.NodeID === nodeId);
  const running = onNode.filter(
    (task) => task.DesiredState === "running" && task.Status?.State === "running",
  );
  if (running.length === 0) {
    const reason =
      onNode.length === 0
        ? `no socket-proxy task is scheduled on node ${nodeId} (deploy the proxy with mode: global)`
        : `the socket-proxy task on node ${nodeId} is not running (${onNode
            .map((task) => task.Status?.State ?? "unknown")
            .join(", ")})`;
    return { kind: "missing", reason };
  }
  for (const task of running) {
    for (const attachment of task.NetworksAttachments ?? []) {
      const spec = attachment.Network?.Spec;
      if (spec?.Ingress === true || spec?.Name === "ingress") continue;
      const address = attachment.Addresses?.[0];
      if (!address) continue;
      return {
        kind: "found",
        ip: stripPrefixLength(address),
        taskId: task.ID ?? "",
        network: spec?.Name ?? "",
      };
    }
  }
  return {
    kind: "missing",
    reason: `the socket-proxy task on node ${nodeId} has no overlay network address (attach it to a network shared with photoferry)`,
  };
}

/** "10.0.1.5/24" → "10.0.1.5"; "fd00::5/64" → "fd00::5". */
export function stripPrefixLength(cidr: string): string {
  const slash = cidr.indexOf("/");
  return slash === -1 ? cidr : cidr.slice(0, slash);
}
