import { readFileSync } from "node:fs";
import { request } from "node:http";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { resolveConfigPath } from "../../config/config-file.js";
import type { CliCommand } from "../command.js";

const usage = `Usage: photoferry healthcheck [--config <file>] [--url <url>] [--timeout <seconds>]

Asks the running service's /healthz and exits 0 when it answers 200, 1 otherwise. The
Docker image's HEALTHCHECK runs it (the image has no curl). The address comes from the
config's web.host and web.port (a wildcard host means 127.0.0.1).

  --config <file>      the config file (default: $PHOTOFERRY_CONFIG or /config/photoferry.yaml)
  --url <url>          ask this address instead, e.g. http://127.0.0.1:8080/healthz
  --timeout <seconds>  give up after this long (default 5)
`;

const DEFAULT_PORT = 8080;
const WILDCARD_HOSTS = new Set(["", "0.0.0.0", "::", "[::]"]);

/**
 * Where the service listens, read leniently from the config text: a file that no longer
 * validates must not make a running service look dead (serve keeps its last good config).
 */
export function healthzUrl(configText: string | undefined): string {
  let web: unknown;
  try {
    web = (parse(configText ?? "") as { web?: unknown } | null)?.web;
  } catch {
    web = undefined;
  }
  const { host, port } = (typeof web === "object" && web !== null ? web : {}) as {
    host?: unknown;
    port?: unknown;
  };
  const validPort = Number.isInteger(port) && (port as number) > 0 && (port as number) < 65_536;
  const name = typeof host === "string" && !WILDCARD_HOSTS.has(host) ? host : "127.0.0.1";
  const bracketed = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
  return `http://${bracketed}:${validPort ? (port as number) : DEFAULT_PORT}/healthz`;
}

export interface HealthAnswer {
  status: number;
  body: string;
}

/** One GET with a deadline; rejects with a sentence when nothing usable came back. */
export function getHealth(url: string, timeoutMs: number): Promise<HealthAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

function readConfigText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export const healthcheckCommand: CliCommand = {
  name: "healthcheck",
  summary: "Ask the running service's /healthz (for Docker's HEALTHCHECK)",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: "string", short: "c" },
        url: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const seconds = values.timeout === undefined ? 5 : Number(values.timeout);
    if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 300)) {
      io.stderr.write("photoferry healthcheck: --timeout must be a number of seconds (0–300]\n");
      return 2;
    }
    const url = values.url ?? healthzUrl(readConfigText(resolveConfigPath(values.config, io.env)));
    try {
      const answer = await getHealth(url, seconds * 1000);
      if (answer.status === 200) {
        io.stdout.write(`healthy: ${answer.body.trim()}\n`);
        return 0;
      }
      io.stderr.write(`unhealthy: ${url} answered ${answer.status} ${answer.body.trim()}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(
        `unhealthy: ${url} did not answer (${reason}); is photoferry serve running?\n`,
      );
    }
    return 1;
  },
};
