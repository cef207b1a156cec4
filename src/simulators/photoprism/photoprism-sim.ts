#!/usr/bin/env node
/**
 * The PhotoPrism simulator as a program: `node photoprism-sim.js [global flags] <command>`,
 * standing in for the `photoprism` binary in tests, the Docker end-to-end container and
 * `photoferry demo`. See cli.ts for the commands.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runCli } from "./cli.js";
import { nodeSimFs } from "./sim-fs.js";

const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.once("SIGINT", () => stop.abort());

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  fs: nodeSimFs,
  now: () => new Date(),
  hrtime: () => process.hrtime.bigint(),
  sleep: (ms) => sleep(ms),
  stop: stop.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Like a recovered Go panic: the only path that exits 1.
    process.stderr.write(
      `panic: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
