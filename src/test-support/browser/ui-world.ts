import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDemoSandbox, type DemoSandbox } from "../../demo/sandbox.js";
import { startServe, type RunningServe } from "../../service/serve.js";
import { buildForChildProcess } from "../child-build.js";

export interface UiWorld {
  url: string;
  sandbox: DemoSandbox;
  serve: RunningServe;
  logPath: string;
  stop(): Promise<void>;
}

/**
 * `photoferry serve` against the demo's sandbox (three users, sample photos, simulated occ
 * and photoprism programs), on a free loopback port: what a browser test drives.
 * `editConfig` may change the YAML before the service starts (a password, a schedule).
 */
export async function startUiWorld(
  options: { editConfig?: (yaml: string) => string; env?: NodeJS.ProcessEnv } = {},
): Promise<UiWorld> {
  const dir = mkdtempSync(join(tmpdir(), "pf-ui-"));
  const sandbox = await createDemoSandbox(join(dir, "sandbox"), {
    programsDir: buildForChildProcess(),
    settleSeconds: 0,
  });
  if (options.editConfig) {
    writeFileSync(sandbox.configPath, options.editConfig(readFileSync(sandbox.configPath, "utf8")));
  }
  const logPath = join(dir, "photoferry.log");
  const log: WriteStream = createWriteStream(logPath);
  const serve = await startServe({
    configPath: sandbox.configPath,
    env: options.env ?? {},
    port: 0,
    host: "127.0.0.1",
    logDestination: log,
  });
  return {
    url: serve.url,
    sandbox,
    serve,
    logPath,
    async stop() {
      await serve.stop();
      await new Promise<void>((done) => log.end(done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
