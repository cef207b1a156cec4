import { ConsoleInputError, parseInput, type ParsedInput } from "./console-input.js";
import {
  ConsoleOutput,
  commandSynopsis,
  renderCommandHelp,
  renderConsoleError,
  Verbosity,
  type OutputSinks,
} from "./console-output.js";
import { majorVersion, type SimCommand } from "./command.js";
import {
  configSystemGetCommand,
  maintenanceModeCommand,
  statusCommand,
  userListCommand,
  versionString,
} from "./core-commands.js";
import type { Disk } from "./disk.js";
import { filesScanCommand } from "./files-scan.js";
import type { Instance } from "./instance.js";
import { memoriesIndexCommand } from "./memories-index.js";

/**
 * occ's console application (lib/private/Console/Application.php on Symfony Console): decides
 * which commands exist (app commands only when Nextcloud is installed, up to date and not in
 * maintenance mode), prints the warnings occ prints, and runs one command.
 */
export interface RunEnvironment {
  instance: Instance;
  disk: Disk;
  sinks: OutputSinks;
  stdinIsTty: boolean;
  readLine: () => string | undefined;
}

const maintenanceText =
  "Nextcloud is in maintenance mode. Only a limited number of commands are available.\n" +
  "In maintenance mode logins are blocked and events may not be triggered since apps are not loaded.\n" +
  'Proceed with maintenance activities then use the "occ maintenance:mode --off" to disable maintenance mode.';
const upgradeText =
  "Nextcloud or one of its apps requires an upgrade. Only a limited number of commands are available.";
const notInstalledText =
  "Nextcloud is not installed - only a limited number of commands are available";

/**
 * Namespaces core registers commands in, so they exist even when apps are not loaded: in
 * maintenance mode `files:scan` is "not defined" while `memories:*` has no namespace at all
 * (as the reference documents).
 */
const coreNamespaces = new Set(["files", "maintenance", "user", "config"]);

function allCommands(instance: Instance): SimCommand[] {
  const major = majorVersion(instance);
  const commands = [
    statusCommand(major),
    maintenanceModeCommand,
    userListCommand,
    configSystemGetCommand,
    filesScanCommand(major),
  ];
  const memories = instance.settings.memoriesVersion;
  if (memories !== null) commands.push(memoriesIndexCommand(memories));
  return commands;
}

/** The index of the command name: the first argument that is not an option. */
function commandIndex(argv: readonly string[]): number {
  return argv.findIndex((token) => !token.startsWith("-"));
}

export function runOcc(argv: readonly string[], env: RunEnvironment): number {
  const { instance, sinks } = env;
  const index = commandIndex(argv);
  const name = index === -1 ? "list" : (argv[index] as string);
  const rest = index === -1 ? [...argv] : [...argv.slice(0, index), ...argv.slice(index + 1)];
  const quietWarnings =
    rest.includes("--no-warnings") || rest.includes("-q") || rest.includes("--quiet");

  const appsLoaded =
    instance.installed && !instance.settings.needsDbUpgrade && !instance.maintenance;
  if (!quietWarnings && !["status", "maintenance:mode", "_completion"].includes(name)) {
    if (!instance.installed) sinks.stderr(`${notInstalledText}\n`);
    else if (instance.settings.needsDbUpgrade) sinks.stderr(`${upgradeText}\n`);
    else if (instance.maintenance) sinks.stderr(`${maintenanceText}\n\n`);
  }

  const commands = allCommands(instance).filter((c) => appsLoaded || !c.fromApp);
  if (name === "list") return listCommands(commands, sinks);
  const command = commands.find((c) => c.definition.name === name);
  if (!command) {
    const namespace = name.includes(":") ? name.slice(0, name.lastIndexOf(":")) : undefined;
    const known = commands.some((c) => c.definition.name.startsWith(`${namespace}:`));
    const message =
      namespace !== undefined && !known && !coreNamespaces.has(namespace)
        ? `There are no commands defined in the "${namespace}" namespace.`
        : `Command "${name}" is not defined.`;
    sinks.stderr(renderConsoleError(message, undefined));
    return 1;
  }

  let input: ParsedInput;
  try {
    input = parseInput(command.definition, rest);
  } catch (error) {
    if (!(error instanceof ConsoleInputError)) throw error;
    sinks.stderr(renderConsoleError(error.message, commandSynopsis(command.definition)));
    return 1;
  }
  const output = new ConsoleOutput(sinks, verbosityOf(input));
  if (input.options.has("help")) {
    output.write(renderCommandHelp(command.definition), Verbosity.Quiet);
    return 0;
  }
  if (input.options.has("version")) {
    output.writeln(`Nextcloud ${versionString(instance.version)}`, Verbosity.Quiet);
    return 0;
  }
  return command.run({
    instance,
    input,
    output,
    disk: env.disk,
    interactive: env.stdinIsTty && !input.options.has("no-interaction"),
    readLine: env.readLine,
  });
}

function verbosityOf(input: ParsedInput): Verbosity {
  if (input.options.has("quiet")) return Verbosity.Quiet;
  if (input.options.has("verbose")) return Verbosity.Verbose;
  return Verbosity.Normal;
}

function listCommands(commands: readonly SimCommand[], sinks: OutputSinks): number {
  const width = Math.max(...commands.map((c) => c.definition.name.length));
  const lines = commands
    .map((c) => c.definition)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => `  ${d.name.padEnd(width)}  ${d.description}`);
  sinks.stdout(`Available commands:\n${lines.join("\n")}\n`);
  return 0;
}
