import { version } from "../version.js";
import { closestMatch } from "../config/validators.js";
import type { CliCommand, CliIo } from "./command.js";
import { checkConfigCommand } from "./commands/check-config.js";
import { demoCommand } from "./commands/demo.js";
import { doctorCommand } from "./commands/doctor.js";
import { hashPasswordCommand } from "./commands/hash-password.js";
import { healthcheckCommand } from "./commands/healthcheck.js";
import { runCommand } from "./commands/run.js";
import { serveCommand } from "./commands/serve.js";

/** Only commands that work are listed; the others arrive with their features. */
export const commands: readonly CliCommand[] = [
  serveCommand,
  runCommand,
  checkConfigCommand,
  doctorCommand,
  hashPasswordCommand,
  demoCommand,
  healthcheckCommand,
];

export function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `photoferry ${version} — ferries new photos from Nextcloud into PhotoPrism, exactly once.`,
    "",
    "Usage: photoferry <command> [options]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (or `photoferry <command> --help`)",
    "  -V, --version  print the version",
    "",
    "The config file is --config <file>, else $PHOTOFERRY_CONFIG, else /config/photoferry.yaml.",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout.write(helpText());
    return first === undefined ? 1 : 0;
  }
  if (first === "--version" || first === "-V") {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command) {
    const guess = closestMatch(
      first,
      commands.map((candidate) => candidate.name),
    );
    io.stderr.write(
      `photoferry: unknown command '${first}'${guess ? ` — did you mean \`${guess}\`?` : ""}\n` +
        "Run `photoferry --help` for the list.\n",
    );
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`photoferry ${command.name}: ${message}\n`);
    return (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  }
}
