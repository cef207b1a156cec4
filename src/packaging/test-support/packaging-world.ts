import { execFileSync } from "node:child_process";
import { Agent } from "node:http";
import Docker from "dockerode";
import {
  startDockerEngine,
  type TestDockerEngine,
} from "../../test-support/docker/docker-engine.js";
import {
  ensureStandInImages,
  type StandInImages,
} from "../../test-support/docker/standin-images.js";
import { ensureOfficialNodeStandIn } from "./node-official-standin.js";
import { ensurePhotoferryImage } from "./photoferry-image.js";
import { ensureSocketProxyStandIn } from "./proxy-image.js";

/** A private Docker engine holding every image the deployment tests run. */
export interface PackagingWorld {
  engine: TestDockerEngine;
  images: { photoferry: string; socketProxy: string; standIns: StandInImages };
  /** The `docker` CLI on this engine (extra environment for `docker stack deploy`). */
  docker: (args: string[], env?: NodeJS.ProcessEnv, input?: string) => string;
  /** Runs a set-up step, logs its duration and names it (with dockerd's log) when it fails. */
  step: <T>(what: string, make: () => Promise<T> | T) => Promise<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPackagingWorld(): Promise<PackagingWorld> {
  const started = Date.now();
  let engine = await startDockerEngine();
  const step = async <T>(what: string, make: () => Promise<T> | T): Promise<T> => {
    const at = Date.now();
    try {
      return await make();
    } catch (error) {
      const log = engine.log().slice(-3000);
      throw new Error(`${what} failed: ${String(error)}\n--- dockerd log ---\n${log}`, {
        cause: error,
      });
    } finally {
      console.log(`${what}: ${Date.now() - at} ms`);
    }
  };
  try {
    // One after the other: they share base images, and a failure names its step.
    const base = await step("node 24 base image", () => ensureOfficialNodeStandIn(engine));
    const standIns = await step("stand-in images", () => ensureStandInImages(engine));
    const socketProxy = await step("socket proxy image", () => ensureSocketProxyStandIn(engine));
    const photoferry = await step("photoferry image", () => ensurePhotoferryImage(engine, base));
    console.log(`images ready in ${Date.now() - started} ms`);
    // The builds block the event loop for minutes; the daemon closes idle keep-alive
    // connections meanwhile, and Node's agent hands out such a dead socket (EPIPE) before it
    // has seen it close. A client without keep-alive, once the loop has caught up:
    await sleep(1000);
    // (docker-modem takes `agent`; @types/dockerode does not list it.)
    const options = { socketPath: engine.socketPath, agent: new Agent({ keepAlive: false }) };
    engine = { ...engine, docker: new Docker(options) };
    const docker = (args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string =>
      execFileSync("docker", args, {
        env: { ...engine.cliEnv, ...env },
        encoding: "utf8",
        stdio: "pipe",
        ...(input === undefined ? {} : { input }),
      });
    return { engine, images: { photoferry, socketProxy, standIns }, docker, step };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}
