import { parseArgs } from "node:util";
import { ConfigFile, ConfigFileError, resolveConfigPath } from "../../config/config-file.js";
import { formatIssue, type ConfigIssue } from "../../config/issues.js";
import { loadConfigText } from "../../config/load-config.js";
import { secretDefinitions, type SecretSource } from "../../config/secrets.js";
import { SecretRegistry } from "../../logging/secret-registry.js";
import type { CliCommand, CliIo } from "../command.js";

const usage = `Usage: photoferry check-config [--config <file>] [--json]

Validates the configuration and prints every problem with its line and a fix.
Exits 1 when the configuration is invalid.

  --config <file>  the config file (default: $PHOTOFERRY_CONFIG or /config/photoferry.yaml)
  --json           machine-readable output
`;

const secretLabels: Record<string, string> = {
  photoprismToken: "PhotoPrism app password",
  ntfyToken: "ntfy token",
  passwordHash: "web password hash",
  sshKey: "SSH private key",
  webhookSecret: "webhook secret",
};

export const checkConfigCommand: CliCommand = {
  name: "check-config",
  summary: "Validate the configuration file and explain every problem",
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: "string", short: "c" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(usage);
      return Promise.resolve(0);
    }
    return Promise.resolve(
      check(resolveConfigPath(values.config, io.env), values.json ?? false, io),
    );
  },
};

function check(path: string, json: boolean, io: CliIo): number {
  let text: string;
  try {
    text = new ConfigFile(path).read().text;
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    if (json)
      write(io, JSON.stringify({ path, valid: false, error: error.message, fix: error.fix }));
    else io.stderr.write(`✗ ${error.message}\n  ${error.fix}\n`);
    return 1;
  }
  const result = loadConfigText(text, { env: io.env });
  // Belt and braces: whatever a message quotes, a secret's value never reaches the terminal.
  const registry = new SecretRegistry();
  for (const value of Object.values(result.secrets.values)) registry.add(value);
  const valid = result.config !== undefined;
  const sources = Object.fromEntries(
    secretDefinitions.map((d) => [d.name, result.secrets.sources[d.name] ?? null]),
  ) as Record<string, SecretSource | null>;

  if (json) {
    write(
      io,
      registry.scrub(
        JSON.stringify({ path, valid, issues: result.issues, secrets: sources }, null, 2),
      ),
    );
    return valid ? 0 : 1;
  }
  const errors = result.issues.filter((issue) => issue.severity === "error");
  const warnings = result.issues.filter((issue) => issue.severity === "warning");
  const lines: string[] = [];
  lines.push(
    valid
      ? `✓ ${path} is valid${warnings.length ? ` (${plural(warnings.length, "warning")})` : ""}`
      : `✗ ${path}: ${plural(errors.length, "error")}${warnings.length ? `, ${plural(warnings.length, "warning")}` : ""}`,
  );
  for (const issue of result.issues) lines.push(`  ${label(issue)} ${formatIssue(issue)}`);
  if (valid) {
    lines.push("", "Secrets:");
    for (const [name, source] of Object.entries(sources)) {
      lines.push(
        `  ${secretLabels[name] ?? name}: ${source ? `set (from ${describeSource(source)})` : "not set"}`,
      );
    }
  }
  (valid ? io.stdout : io.stderr).write(registry.scrub(lines.join("\n")) + "\n");
  return valid ? 0 : 1;
}

function write(io: CliIo, text: string): void {
  io.stdout.write(`${text}\n`);
}

function label(issue: ConfigIssue): string {
  return issue.severity === "error" ? "error  " : "warning";
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function describeSource(source: SecretSource): string {
  switch (source.kind) {
    case "env":
      return `$${source.from}`;
    case "env-file":
      return `the file named by $${source.from}`;
    case "config":
      return `\`${source.from}\` in the config file`;
    case "config-file":
    case "docker-secret":
      return source.from;
  }
}
