import { parseArgs } from "node:util";
import { ConfigFile, ConfigFileError, resolveConfigPath } from "../../config/config-file.js";
import { loadConfigText } from "../../config/load-config.js";
import { anyFailed, type CheckResult } from "../../doctor/check-result.js";
import { judgeConfig, judgeUnreadableConfig } from "../../doctor/config-checks.js";
import { doctorJson, formatDoctorReport } from "../../doctor/doctor-report.js";
import { runDoctor, type DoctorDeps } from "../../doctor/run-doctor.js";
import { SecretRegistry } from "../../logging/secret-registry.js";
import type { CliCommand, CliIo } from "../command.js";

const usage = `Usage: photoferry doctor [--config <file>] [--json]

Checks every folder, connection and permission photoferry needs — the Nextcloud data dir
and its users, the import folder, occ (as the right user), Memories, PhotoPrism, ntfy —
and says what to fix for each problem. Changes nothing. Exits 1 when a check failed.

  --config <file>  the config file (default: $PHOTOFERRY_CONFIG or /config/photoferry.yaml)
  --json           machine-readable output
`;

/** `deps` lets tests put fakes behind the checks; the CLI uses the real adapters. */
export function createDoctorCommand(deps: DoctorDeps = {}): CliCommand {
  return {
    name: "doctor",
    summary: "Check folders, occ, PhotoPrism and ntfy, and say what to fix",
    usage,
    async run(args, io) {
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
        return 0;
      }
      const path = resolveConfigPath(values.config, io.env);
      const secrets = new SecretRegistry();
      const results = await diagnose(path, secrets, io, deps);
      // Belt and braces: whatever a message quotes, a secret's value never reaches the terminal.
      const text = values.json ? doctorJson(path, results) : formatDoctorReport(results);
      io.stdout.write(secrets.scrub(text));
      return anyFailed(results) ? 1 : 0;
    },
  };
}

export const doctorCommand: CliCommand = createDoctorCommand();

async function diagnose(
  path: string,
  secrets: SecretRegistry,
  io: CliIo,
  deps: DoctorDeps,
): Promise<CheckResult[]> {
  let text: string;
  try {
    text = new ConfigFile(path).read().text;
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    return judgeUnreadableConfig(error.message, error.fix);
  }
  const loaded = loadConfigText(text, { env: io.env });
  for (const value of Object.values(loaded.secrets.values)) secrets.add(value);
  const configResults = judgeConfig(path, loaded.issues);
  if (!loaded.config) return configResults;
  return [...configResults, ...(await runDoctor(loaded.config, deps))];
}
