import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "../../test-support/docker/base-image.js";
import { ensureNodeBaseImage } from "../../test-support/docker/build-image.js";
import { startSocketRelay } from "../../test-support/docker/socket-relay.js";
import {
  dockerUnavailableReason,
  startDockerEngine,
  type TestDockerEngine,
} from "../../test-support/docker/docker-engine.js";
import { MAX_CAPTURED_OUTPUT_BYTES, RunnerError, type CommandSpec } from "../runner.js";
import { createDockerRunner, type DockerRunner } from "./docker-runner.js";

const unavailable = dockerUnavailableReason();
if (unavailable) {
  console.warn(`\n!!! SKIPPING the real-Docker runner tests: ${unavailable} !!!\n`);
}

const LONG = { timeoutMs: 60_000 };

/** The RunnerError a run fails with (the test fails if it does not fail). */
async function runnerError(runner: DockerRunner, spec: CommandSpec): Promise<RunnerError> {
  const error: unknown = await runner.run(spec, LONG).then(
    (result) => new Error(`expected a RunnerError, got ${JSON.stringify(result)}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof RunnerError)) throw error;
  return error;
}

describe.skipIf(unavailable !== null)("docker runner against a real Docker engine", () => {
  let engine: TestDockerEngine;
  let image: string;
  const runners: DockerRunner[] = [];
  const runnerFor = (container: string, swarm: "auto" | "off" = "off") => {
    const runner = createDockerRunner({ host: engine.host, swarm }, { container });
    runners.push(runner);
    return runner;
  };
  /** Command lines of every process in the container, for "is it really gone?" checks. */
  const processes = async (runner: DockerRunner) => {
    const script = 'for p in /proc/[0-9]*; do tr "\\000" " " < $p/cmdline; echo; done';
    return (await runner.run({ argv: ["sh", "-c", script] }, LONG)).stdout;
  };

  beforeAll(async () => {
    engine = await startDockerEngine();
    image = await ensureBaseImage(engine);
    const create = async (name: string, cmd: string[], extra: object = {}) => {
      const container = await engine.docker.createContainer({
        name,
        Image: image,
        Cmd: cmd,
        HostConfig: { NetworkMode: "none", Init: true, ...extra },
      });
      return container;
    };
    const [target, , restarting, bare] = await Promise.all([
      create("target", ["sleep", "infinity"]),
      create("stopped", ["sleep", "infinity"]),
      create("restarting", ["false"], { RestartPolicy: { Name: "always" } }),
      create("bare", ["sleep", "infinity"]),
    ]);
    await Promise.all([target.start(), restarting.start(), bare.start()]);
    // A container whose image lacks `timeout`: the runner must stop commands itself.
    await engine.docker
      .getContainer("bare")
      .exec({ Cmd: ["rm", "/usr/bin/timeout"] })
      .then((exec) => exec.start({}))
      .then((stream) => new Promise((resolve) => stream.on("end", resolve).resume()));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.close()));
    await engine?.stop();
  }, 90_000);

  it("passes argv through untouched: spaces, quotes, $, newlines, globs, empty", async () => {
    const args = ["a b", `it's "quoted"`, "$HOME $(id) `id`", "line1\nline2", "*", "", "-n"];
    const result = await runnerFor("target").run({ argv: ["printf", "[%s]", ...args] }, LONG);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, stderr: "" });
    expect(result.stdout).toBe(args.map((arg) => `[${arg}]`).join(""));
  });

  it("runs as the given user (name, uid, uid:gid), in the working dir, with the env", async () => {
    const runner = runnerFor("target");
    const id = (user: string) => runner.run({ argv: ["id", "-u", "-n"], user }, LONG);
    expect((await id("www-data")).stdout).toBe("www-data\n");
    expect((await runner.run({ argv: ["id", "-u"], user: "33" }, LONG)).stdout).toBe("33\n");
    const both = await runner.run(
      { argv: ["sh", "-c", "echo $(id -u):$(id -g)"], user: "33:34" },
      LONG,
    );
    expect(both.stdout).toBe("33:34\n");
    expect((await runner.run({ argv: ["pwd"], workingDir: "/usr/share" }, LONG)).stdout).toBe(
      "/usr/share\n",
    );
    const env = await runner.run({ argv: ["env"], env: { GREETING: "hello $USER world" } }, LONG);
    expect(env.stdout.split("\n")).toContain("GREETING=hello $USER world");
    expect(runner.description).toBe("docker container target");
  });

  it("keeps stdout and stderr apart and reports the exit code", async () => {
    const runner = runnerFor("target");
    const result = await runner.run(
      { argv: ["sh", "-c", "echo out; echo err >&2; echo more; exit 7"] },
      LONG,
    );
    expect(result).toMatchObject({ exitCode: 7, stdout: "out\nmore\n", stderr: "err\n" });
    expect((await runner.run({ argv: ["false"] }, LONG)).exitCode).toBe(1);
  });

  it("keeps only the tail of a huge output", { timeout: 60_000 }, async () => {
    const script = "head -c 6000000 /dev/zero | tr '\\000' x; echo; echo THE-END";
    const result = await runnerFor("target").run({ argv: ["sh", "-c", script] }, LONG);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(MAX_CAPTURED_OUTPUT_BYTES);
    expect(result.stdout.endsWith("x\nTHE-END\n")).toBe(true);
  });

  it(
    "stops a command at its timeout, even one that ignores SIGTERM",
    { timeout: 60_000 },
    async () => {
      const runner = runnerFor("target");
      const plain = await runner.run({ argv: ["sleep", "37.5"] }, { timeoutMs: 1500 });
      expect(plain).toMatchObject({ exitCode: null, timedOut: true });
      expect(plain.durationMs).toBeGreaterThanOrEqual(1400);
      expect(plain.durationMs).toBeLessThan(5000);
      const stubborn = await runner.run(
        {
          argv: [
            "sh",
            "-c",
            "trap '' TERM; echo started; while :; do sleep 0.2; done; : stubborn-38",
          ],
        },
        { timeoutMs: 1000 },
      );
      expect(stubborn).toMatchObject({ exitCode: null, timedOut: true, stdout: "started\n" });
      expect(stubborn.durationMs).toBeLessThan(12_000);
      const left = await processes(runner);
      expect(left).not.toContain("sleep 37.5");
      expect(left).not.toContain("stubborn-38");
    },
  );

  it("an abort stops the command like a timeout", { timeout: 30_000 }, async () => {
    const runner = runnerFor("target");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const result = await runner.run(
      { argv: ["sleep", "39.5"] },
      { timeoutMs: 60_000, signal: controller.signal },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(result.durationMs).toBeLessThan(10_000);
    expect(await processes(runner)).not.toContain("sleep 39.5");
  });

  it("stops commands in a container without `timeout` too", { timeout: 30_000 }, async () => {
    const runner = runnerFor("bare");
    const result = await runner.run({ argv: ["sleep", "40.5"] }, { timeoutMs: 1000 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(await processes(runner)).not.toContain("sleep 40.5");
    expect((await runner.run({ argv: ["echo", "ok"] }, LONG)).stdout).toBe("ok\n");
  });

  it("reports a missing program, an unknown user and a missing working dir", async () => {
    for (const name of ["target", "bare"]) {
      const missing = await runnerError(runnerFor(name), { argv: ["no-such-program", "x"] });
      expect(missing.code).toBe("exec-failed");
      expect(missing.message).toContain("no-such-program");
    }
    const user = await runnerError(runnerFor("target"), { argv: ["true"], user: "nobody-here" });
    expect(user.code).toBe("exec-failed");
    expect(user.hint).toContain('"nobody-here"');
    const dir = await runnerError(runnerFor("target"), { argv: ["true"], workingDir: "/nope" });
    expect(dir.code).toBe("exec-failed");
  });

  it(
    "classifies a missing, a stopped and a restarting container",
    { timeout: 30_000 },
    async () => {
      const missing = await runnerError(runnerFor("ghost"), { argv: ["true"] });
      expect(missing).toMatchObject({ code: "target-missing", transient: false });
      const stopped = await runnerError(runnerFor("stopped"), { argv: ["true"] });
      expect(stopped).toMatchObject({ code: "target-not-running", transient: false });
      // `false` under restart=always: the back-off grows, so it is soon mostly "restarting".
      for (let i = 0; i < 100; i++) {
        const info = await engine.docker.getContainer("restarting").inspect();
        if (info.RestartCount >= 3 && info.State.Restarting) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const restarting = await runnerError(runnerFor("restarting"), { argv: ["true"] });
      expect(restarting).toMatchObject({ code: "target-restarting", transient: true });
    },
  );

  describe("in Swarm mode", () => {
    beforeAll(() => {
      const docker = (...args: string[]) => execFileSync("docker", args, { env: engine.cliEnv });
      docker("swarm", "init", "--advertise-addr", "127.0.0.1");
      docker(
        "service",
        "create",
        "--detach",
        "--name",
        "nextcloud",
        "--init",
        image,
        "sleep",
        "infinity",
      );
    }, 60_000);

    it(
      "finds the service's running task and execs into its container",
      { timeout: 120_000 },
      async () => {
        const runner = runnerFor("nextcloud", "auto");
        let result;
        for (let i = 0; ; i++) {
          try {
            result = await runner.run({ argv: ["hostname"] }, LONG);
            break;
          } catch (error) {
            // The task is still being prepared: exactly the transient error the queue retries.
            if (!(error instanceof RunnerError) || error.code !== "target-restarting" || i > 200) {
              throw error;
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
        const tasks = await engine.docker.listTasks({ filters: { service: ["nextcloud"] } });
        const task = tasks[0] as {
          ID: string;
          Status: { ContainerStatus: { ContainerID: string } };
        };
        expect(result.stdout.trim()).toBe(task.Status.ContainerStatus.ContainerID.slice(0, 12));
        expect(runner.description).toMatch(
          /^swarm service nextcloud \(task \w{12} on node \w{12}\)$/,
        );
        expect(runner.description).toContain(task.ID.slice(0, 12));
      },
    );

    it("still finds plain containers, and says when neither exists", async () => {
      expect((await runnerFor("target", "auto").run({ argv: ["echo", "hi"] }, LONG)).stdout).toBe(
        "hi\n",
      );
      const error = await runnerError(runnerFor("no-such-service", "auto"), { argv: ["true"] });
      expect(error.code).toBe("target-missing");
      expect(error.message).toContain("neither a Swarm service nor a container");
    });
  });

  it("builds a Node image for the simulators' containers", { timeout: 120_000 }, async () => {
    const nodeImage = await ensureNodeBaseImage(engine);
    const container = await engine.docker.createContainer({
      name: "node-check",
      Image: nodeImage,
      Cmd: ["sleep", "infinity"],
      HostConfig: { NetworkMode: "none", Init: true },
    });
    await container.start();
    const result = await runnerFor("node-check").run(
      { argv: ["node", "-e", "console.log(process.version)"], user: "33" },
      LONG,
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: `${process.version}\n` });
    await container.remove({ force: true });
  });

  it("reports the engine's connection dying mid-command as daemon-unreachable", async () => {
    const relay = await startSocketRelay(engine.socketPath, `${engine.socketPath}.relay`);
    const runner = createDockerRunner(
      { host: `unix://${relay.socketPath}`, swarm: "off" },
      {
        container: "target",
      },
    );
    const running = runner.run({ argv: ["sleep", "41.5"] }, LONG).then(
      (result) => result,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await relay.cut();
    const error = await running;
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ code: "daemon-unreachable", transient: true });
    const again = await runnerError(runner, { argv: ["true"] });
    expect(again.code).toBe("daemon-unreachable");
    expect(again.hint).toContain("no Docker socket");
  });

  it("a container stopped mid-command is a transient problem", { timeout: 30_000 }, async () => {
    const runner = runnerFor("bare");
    const running = runner.run({ argv: ["sleep", "42.5"] }, LONG).then(
      (result) => result,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await engine.docker.getContainer("bare").stop({ t: 1 });
    const error = await running;
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ code: "target-restarting", transient: true });
    expect((await runnerError(runner, { argv: ["true"] })).code).toBe("target-not-running");
  });
});
