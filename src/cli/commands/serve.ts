import { parseArgs } from "node:util";
import { ConfigFileError, resolveConfigPath } from "../../config/config-file.js";
import { ConfigInvalidError } from "../../config/config-service.js";
import { startServe } from "../../service/serve.js";
import { StateLockedError } from "../../state/state-lock.js";
import type { CliCommand } from "../command.js";

const usage = `Usage: photoferry serve [--config <file>] [--port <n>] [--host <address>]

Runs the service: watches the users' source folders, runs passes on the schedule and when
asked, and serves the REST API (see /api/docs). Stops on SIGTERM or Ctrl-C: the current run
stops between files or commands — everything done so far is kept — within 30 seconds.

  --config <file>   the config file (default: $PHOTOFERRY_CONFIG or /config/photoferry.yaml)
  --port <n>        listen on this port instead of web.port (0: any free port)
  --host <address>  listen on this address instead of web.host
`;

/** SIGTERM must end the process within 30 s (Docker's default grace period is 10 s, Swarm's too). */
const STOP_DEADLINE_MS = 25_000;

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Run the service: watcher, schedule, REST API",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: "string", short: "c" },
        port: { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
      io.stderr.write(`photoferry serve: --port must be a number from 0 to 65535\n`);
      return 2;
    }
    let running;
    try {
      running = await startServe({
        configPath: resolveConfigPath(values.config, io.env),
        env: io.env,
        ...(port !== undefined ? { port } : {}),
        ...(values.host ? { host: values.host } : {}),
        logDestination: io.stderr,
      });
    } catch (error) {
      if (error instanceof ConfigFileError) {
        io.stderr.write(`✗ ${error.message}\n  ${error.fix}\n`);
        return 1;
      }
      if (error instanceof ConfigInvalidError || error instanceof StateLockedError) {
        io.stderr.write(`✗ ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    io.stdout.write(`photoferry is serving on ${running.url}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGTERM", () => resolve("SIGTERM"));
      process.once("SIGINT", () => resolve("SIGINT"));
    });
    io.stdout.write(`${signal}: stopping\n`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), STOP_DEADLINE_MS);
    });
    const outcome = await Promise.race([running.stop().then(() => "stopped" as const), late]);
    clearTimeout(timer);
    if (outcome === "late") {
      io.stderr.write(
        "photoferry serve: the current step did not end in time; exiting anyway (the journal lets the next start finish it)\n",
      );
      // Whatever still holds the event loop (a copy, a request) must not keep us alive.
      process.exit(1);
    }
    return 0;
  },
};
