import { join } from "node:path";
import { Writable } from "node:stream";
import { startServe, type RunningServe } from "../../service/serve.js";
import type { FerryWorld } from "../../test-support/ferry-world.js";
import { simulatedWorld, type SimulatedSetup } from "../../test-support/simulated-world.js";

export interface ServedWorld {
  world: FerryWorld;
  running: RunningServe;
  /** Every JSON log line the serve wrote. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * `photoferry serve` in-process on a loopback port, over a simulated Nextcloud and
 * PhotoPrism (`built` is `buildForChildProcess()`), with no schedule and no watcher so
 * nothing runs unless a test asks. `extraYaml` continues the world's `web:` section.
 */
export async function serveWorld(
  built: string,
  setup: SimulatedSetup & { env?: NodeJS.ProcessEnv; host?: string } = {},
): Promise<ServedWorld> {
  const world = simulatedWorld(built, {
    ...setup,
    extraYaml: `${setup.extraYaml ?? ""}\nschedule:\n  watch: false\n  cron: null\n`,
  });
  const logLines: string[] = [];
  let running: RunningServe;
  try {
    running = await startServe({
      configPath: world.configPath,
      env: {
        PHOTOFERRY_SECRETS_DIR: join(world.root, "no-secrets"),
        PHOTOFERRY_LOG_LEVEL: "debug",
        ...setup.env,
      },
      port: 0,
      host: setup.host ?? "127.0.0.1",
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    });
  } catch (error) {
    world.close();
    throw error;
  }
  return {
    world,
    running,
    logLines,
    close: async () => {
      await running.stop();
      world.close();
    },
  };
}
