import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  chooseProxyOnNode,
  chooseServiceTask,
  stripPrefixLength,
  type SwarmTask,
} from "./swarm-tasks.js";

/**
 * Recorded from `GET /tasks` on a one-node Swarm (Docker 28.2.2): service "nextcloud"
 * (task yt3x…, no networks) and a global "proxy" service on the overlay network "pfnet"
 * (task 2lnt…, 10.0.1.3/24). Other nodes are made by copying a task with another NodeID.
 */
const recorded = JSON.parse(
  readFileSync(new URL("./fixtures/tasks-one-node.json", import.meta.url), "utf8"),
) as SwarmTask[];
const NODE = "q0k2tzkjv9j52ee2lru9o2ge2";
const app = recorded.find((task) => task.ID === "yt3x9xg5x35oghr2qqhhr2ew4")!;
const proxy = recorded.find((task) => task.ID === "2lntjlpjij7t9kpfeolbmnqib")!;
const onNode = (task: SwarmTask, nodeId: string, changes: Partial<SwarmTask> = {}): SwarmTask => ({
  ...structuredClone(task),
  NodeID: nodeId,
  ...changes,
});

describe("chooseServiceTask", () => {
  it("picks the running task's container and node from a recorded answer", () => {
    expect(chooseServiceTask([app], NODE)).toEqual({
      kind: "running",
      task: {
        taskId: "yt3x9xg5x35oghr2qqhhr2ew4",
        containerId: "27720516a6aecff6911725c5e73820889dcd3295a4f5fe8d020c11bdece45b70",
        nodeId: NODE,
      },
    });
  });

  it("prefers a task on this node, then the oldest", () => {
    const remoteOld = onNode(app, "node-b", { ID: "old", CreatedAt: "2020-01-01T00:00:00Z" });
    const local = onNode(app, NODE, { ID: "local" });
    expect(chooseServiceTask([remoteOld, local], NODE)).toMatchObject({
      task: { taskId: "local" },
    });
    const remoteNew = onNode(app, "node-c", { ID: "new", CreatedAt: "2030-01-01T00:00:00Z" });
    expect(chooseServiceTask([remoteNew, remoteOld], "elsewhere")).toMatchObject({
      task: { taskId: "old", nodeId: "node-b" },
    });
  });

  it("reports tasks that are not running yet as starting, with their messages", () => {
    const preparing = onNode(app, NODE, {
      Status: { State: "preparing", Message: "preparing", ContainerStatus: {} },
    });
    expect(chooseServiceTask([preparing], NODE)).toEqual({
      kind: "starting",
      states: ["preparing"],
      message: "preparing",
    });
  });

  it("ignores tasks that are meant to be shut down, and finds none in an empty answer", () => {
    const leaving = onNode(app, NODE, { DesiredState: "shutdown" });
    expect(chooseServiceTask([leaving], NODE)).toEqual({ kind: "none" });
    expect(chooseServiceTask([], NODE)).toEqual({ kind: "none" });
  });

  it("does not pick a running task without a container id", () => {
    const noContainer = onNode(app, NODE, { Status: { State: "running" } });
    expect(chooseServiceTask([noContainer], NODE).kind).toBe("starting");
  });
});

describe("chooseProxyOnNode", () => {
  it("takes the overlay address of the proxy task on the node", () => {
    expect(chooseProxyOnNode([proxy], NODE)).toEqual({
      kind: "found",
      ip: "10.0.1.3",
      taskId: "2lntjlpjij7t9kpfeolbmnqib",
      network: "pfnet",
    });
  });

  it("chooses the task on the wanted node among several, skipping the ingress network", () => {
    const other = onNode(proxy, "node-b", {
      ID: "proxy-b",
      NetworksAttachments: [
        { Network: { Spec: { Name: "ingress", Ingress: true } }, Addresses: ["10.0.0.9/24"] },
        { Network: { Spec: { Name: "pfnet" } }, Addresses: ["10.0.1.7/24"] },
      ],
    });
    expect(chooseProxyOnNode([proxy, other], "node-b")).toMatchObject({
      ip: "10.0.1.7",
      taskId: "proxy-b",
    });
  });

  it("explains a node without a proxy, a stopped proxy, and a proxy without a network", () => {
    expect(chooseProxyOnNode([proxy], "node-x")).toMatchObject({
      kind: "missing",
      reason: expect.stringContaining("mode: global") as string,
    });
    const failed = onNode(proxy, NODE, { Status: { State: "failed" } });
    expect(chooseProxyOnNode([failed], NODE)).toMatchObject({
      reason: expect.stringContaining("not running (failed)") as string,
    });
    const bare = onNode(proxy, NODE, { NetworksAttachments: [] });
    expect(chooseProxyOnNode([bare], NODE)).toMatchObject({
      reason: expect.stringContaining("no overlay network address") as string,
    });
  });

  it("strips the prefix length from IPv4 and IPv6 addresses", () => {
    expect(stripPrefixLength("10.0.1.5/24")).toBe("10.0.1.5");
    expect(stripPrefixLength("fd00::5/64")).toBe("fd00::5");
    expect(stripPrefixLength("10.0.1.5")).toBe("10.0.1.5");
  });
});
