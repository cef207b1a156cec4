import { createWriteStream, existsSync, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeRun } from "../../demo/run-news.js";
import {
  SHIPPED_PROGRAMS_DIR,
  createDemoSandbox,
  simulatorPrograms,
  type DemoSandbox,
} from "../../demo/sandbox.js";
import { startServe, type RunningServe, type ServeOptions } from "../../service/serve.js";
import type { CliCommand, CliIo } from "../command.js";

const usage = `Usage: photoferry demo [--interval <seconds>] [--port <port>] [--dir <folder>]

A self-contained trial: builds a sandbox with a simulated Nextcloud (three users, sample
photos, a Live Photo, a duplicate), PhotoPrism's folders and simulated occ/photoprism
programs, then ferries photos while dropping a new one every few seconds. Stop with Ctrl-C.

  --interval <s>   seconds between new photos (default 8)
  --port <port>    port of the web UI (default 8080)
  --dir <folder>   build the sandbox here and keep it (default: a temp folder, removed on exit)
`;

export interface DemoDeps {
  /** Folder with the compiled `simulators/` (default: the one shipped with photoferry). */
  programsDir?: string;
  /** Resolves when the demo should stop; default: Ctrl-C or SIGTERM. */
  untilStopped?: () => Promise<void>;
  /** Starts the service; default: the real \`photoferry serve\`. */
  startServe?: (options: ServeOptions) => Promise<RunningServe>;
  random?: () => number;
}

export function createDemoCommand(deps: DemoDeps = {}): CliCommand {
  return {
    name: "demo",
    summary: "Try photoferry in a sandbox with simulated Nextcloud and PhotoPrism",
    usage,
    async run(args, io) {
      const { values } = parseArgs({
        args,
        options: {
          interval: { type: "string" },
          port: { type: "string" },
          dir: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      });
      if (values.help) {
        io.stdout.write(usage);
        return 0;
      }
      const interval = Number(values.interval ?? "8");
      if (!Number.isFinite(interval) || interval < 0.5 || interval > 3600) {
        io.stderr.write("photoferry demo: --interval is seconds between 0.5 and 3600, e.g. 8\n");
        return 2;
      }
      const port = Number(values.port ?? "8080");
      if (!Number.isInteger(port) || port < 1 || port > 65_535) {
        io.stderr.write("photoferry demo: --port is a whole number from 1 to 65535, e.g. 8080\n");
        return 2;
      }
      const programsDir = deps.programsDir ?? SHIPPED_PROGRAMS_DIR;
      const missing = Object.values(simulatorPrograms(programsDir)).filter((p) => !existsSync(p));
      if (missing.length > 0) {
        io.stderr.write(
          `photoferry demo: the simulators are missing (${missing.join(", ")}).\n` +
            "  Build photoferry first (`npm run build`) and run the demo from dist/.\n",
        );
        return 1;
      }
      const keep = values.dir !== undefined;
      const dir = keep ? resolve(values.dir!) : mkdtempSync(join(tmpdir(), "photoferry-demo-"));
      return runDemo({ dir, keep, port, intervalMs: interval * 1000, programsDir }, deps, io);
    },
  };
}

export const demoCommand: CliCommand = createDemoCommand();

interface DemoSettings {
  dir: string;
  keep: boolean;
  port: number;
  intervalMs: number;
  programsDir: string;
}

async function runDemo(settings: DemoSettings, deps: DemoDeps, io: CliIo): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  let sandbox: DemoSandbox;
  try {
    sandbox = await createDemoSandbox(settings.dir, {
      programsDir: settings.programsDir,
      port: settings.port,
      ...(deps.random ? { random: deps.random } : {}),
    });
  } catch (error) {
    io.stderr.write(`photoferry demo: ${(error as Error).message}\n`);
    if (!settings.keep) rmSync(settings.dir, { recursive: true, force: true });
    return 1;
  }
  const logPath = join(sandbox.dir, "photoferry.log");
  const log = createWriteStream(logPath, { flags: "a" });
  const cleanUp = async () => {
    await closeStream(log);
    if (!settings.keep) rmSync(sandbox.dir, { recursive: true, force: true });
  };
  introduce(sandbox, logPath, settings, say);

  let serve: RunningServe;
  try {
    serve = await (deps.startServe ?? startServe)({
      configPath: sandbox.configPath,
      env: io.env,
      port: settings.port,
      host: "127.0.0.1",
      logDestination: log,
    });
  } catch (error) {
    io.stderr.write(
      `photoferry demo: the service did not start: ${(error as Error).message}\n` +
        `  (details in ${logPath}${settings.keep ? "" : ", removed now"}; ` +
        "is the port taken? try --port 8081)\n",
    );
    await cleanUp();
    return 1;
  }
  const unsubscribe = serve.service.subscribe((event) => {
    if (event.type === "run-finished") for (const line of describeRun(event.run)) say(line);
  });
  say(`Service running at ${serve.url}`);
  // No web UI is served yet: point at what is there, the API and its interactive docs.
  say(`  API docs: ${serve.url}/api/docs   live status: ${serve.url}/api/status`);
  say("Press Ctrl-C to stop.\n");
  // The samples are settled already: take them now rather than at the next schedule tick.
  serve.service.trigger("manual", "demo started");
  const dropper = setInterval(() => {
    try {
      say(`📷 new photo: ${relative(sandbox.dataDir, sandbox.dropPhoto())}`);
    } catch (error) {
      say(`✗ could not write a new photo: ${(error as Error).message}`);
    }
  }, settings.intervalMs);

  await (deps.untilStopped ?? untilSignal)();
  say("\nStopping…");
  clearInterval(dropper);
  unsubscribe();
  try {
    await serve.stop();
  } finally {
    // Even when stopping failed: a temp sandbox must not be left behind.
    await cleanUp();
  }
  say(settings.keep ? `The sandbox stays in ${sandbox.dir}` : "Sandbox removed. Bye!");
  return 0;
}

function introduce(
  sandbox: DemoSandbox,
  logPath: string,
  settings: DemoSettings,
  say: (text: string) => void,
): void {
  const at = (path: string) => relative(sandbox.dir, path);
  const every = `${settings.intervalMs / 1000} s`;
  say(`photoferry demo — sandbox in ${sandbox.dir}${settings.keep ? "" : " (removed on exit)"}`);
  say("");
  say(`Nextcloud (simulated): ${at(sandbox.dataDir)}/ with users ${sandbox.users.join(", ")}`);
  for (const file of sandbox.samples)
    say(`  ${relative(sandbox.dataDir, join(sandbox.dir, file.path))}  — ${file.what}`);
  say(`PhotoPrism (simulated): import folder ${at(sandbox.importDir)}/`);
  say(
    `  library (originals), shown in anna's Nextcloud as "Photo Library": ${at(sandbox.originalsDir)}/`,
  );
  say(`Config: ${sandbox.configPath}`);
  say(`Log:    ${logPath}`);
  say("");
  say(
    `Every ${every} a new photo lands in a random user's InstantUpload. Watch it travel to the ` +
      'library, and the original move to the user\'s "Archived Photos".',
  );
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

const closeStream = (stream: WriteStream) => new Promise<void>((done) => stream.end(() => done()));
