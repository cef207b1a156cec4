import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunnerError } from "../runner.js";
import { createDockerRunner } from "./docker-runner.js";
import { engineError } from "./engine-errors.js";

const socketContext = { engine: "unix:///var/run/docker.sock", action: "testing" };
const proxyContext = { engine: "tcp://socket-proxy:2375", action: "testing" };
const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const withStatus = (statusCode: number) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected`), { statusCode });

describe("engineError", () => {
  it("says how to fix a missing or forbidden socket", () => {
    const missing = engineError(withCode("ENOENT"), socketContext);
    expect(missing).toMatchObject({ code: "daemon-unreachable", transient: true });
    expect(missing.hint).toContain("/var/run/docker.sock:/var/run/docker.sock");
    const forbidden = engineError(withCode("EACCES"), socketContext);
    expect(forbidden.hint).toContain("group");
    // Not retried: a socket photoferry may not open does not open later.
    expect(forbidden).toMatchObject({ code: "auth-failed", transient: false });
  });

  it("points at the socket proxy and its switches for tcp engines", () => {
    const refused = engineError(withCode("ECONNREFUSED"), proxyContext);
    expect(refused.code).toBe("daemon-unreachable");
    expect(refused.hint).toContain("EXEC=1");
    const forbidden = engineError(withStatus(403), proxyContext);
    expect(forbidden).toMatchObject({ code: "exec-failed", transient: false });
    expect(forbidden.hint).toMatch(/CONTAINERS=1.*EXEC=1.*POST=1.*TASKS=1/);
  });

  it("keeps classified errors and calls the rest unexpected", () => {
    const known = new RunnerError("target-missing", "gone", "look");
    expect(engineError(known, socketContext)).toBe(known);
    expect(engineError(withStatus(500), socketContext).code).toBe("protocol");
    expect(engineError(new Error("socket hang up"), socketContext).code).toBe("daemon-unreachable");
  });
});

describe("a runner whose engine cannot be reached", () => {
  it("reports a socket that does not exist", async () => {
    const runner = createDockerRunner(
      { host: "unix:///nonexistent/docker.sock", swarm: "auto" },
      { container: "nextcloud" },
    );
    const error = await runner
      .run({ argv: ["true"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "daemon-unreachable", transient: true });
    expect((error as RunnerError).hint).toContain("no Docker socket at /nonexistent/docker.sock");
  });

  it("reports a proxy port nobody listens on", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const runner = createDockerRunner(
      { host: `tcp://127.0.0.1:${port}`, swarm: "off" },
      {
        container: "nextcloud",
      },
    );
    const error = await runner
      .run({ argv: ["true"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "daemon-unreachable" });
    expect((error as RunnerError).message).toContain("ECONNREFUSED");
  });

  it(
    "gives up on an engine that accepts connections but never answers",
    { timeout: 15_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "pf-garbage-"));
      const silent = new Set<Socket>();
      const server = createServer((socket) => silent.add(socket));
      await new Promise<void>((resolve) => server.listen(join(dir, "d.sock"), resolve));
      try {
        const runner = createDockerRunner(
          { host: `unix://${join(dir, "d.sock")}`, swarm: "off" },
          {
            container: "nextcloud",
          },
        );
        const error = await runner
          .run({ argv: ["true"] }, { timeoutMs: 5000 })
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "daemon-unreachable" });
        expect((error as RunnerError).message).toContain("did not answer");
      } finally {
        for (const socket of silent) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
