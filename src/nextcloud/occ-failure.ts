import type { CommandResult } from "../runners/runner.js";
import { flatText, outputLines, type OccProblem } from "./occ-output.js";

/** Failures any occ command can show, before or instead of doing its work. */
export type OccFailureKind =
  | "wrong-user" // config/config.php belongs to another user
  | "wrong-data-dir-owner" // the data directory belongs to another user
  | "data-dir-missing"
  | "maintenance-mode"
  | "needs-upgrade"
  | "not-installed"
  | "unhandled-exception"
  | "namespace-not-defined" // `There are no commands defined in the "memories" namespace.`
  | "command-not-defined" // `Command "files:scan" is not defined.`
  | "unknown-option" // `The "--path" option does not exist.`
  | "timed-out"
  | "stopped"
  | "command-failed"; // non-zero exit, nothing recognised

export interface OccFailure extends OccProblem<OccFailureKind> {
  /** Nextcloud expects to leave this state by itself (an upgrade under way): try later. */
  temporary: boolean;
  /** For wrong-user kinds: the user id or name occ must run as, when it said so. */
  requiredUser?: string;
}

const presetHint =
  "or choose the nextcloud.occ.preset that matches your image (official: 33, linuxserver: abc, aio: www-data)";

/**
 * Recognises the failures that are not specific to one command. Wrong-user messages count
 * whatever the exit code (very old releases exited 0 after them); everything else only when
 * occ did not exit 0, since `status` prints the maintenance warning and still succeeds.
 */
export function detectOccFailure(result: CommandResult): OccFailure | undefined {
  const lines = outputLines(result);
  const flat = flatText(result);
  const ownerFailure = detectOwnerFailure(lines);
  if (ownerFailure) return ownerFailure;
  if (result.exitCode === 0) return undefined;
  if (result.exitCode === null) {
    return result.timedOut
      ? failure("timed-out", "occ did not finish in time and was stopped", lastLine(lines), {
          hint: "Nextcloud may be very busy or the folder very large: raise nextcloud.occ.timeoutMinutes, or scan smaller folders",
        })
      : failure("stopped", "occ was stopped before it finished", lastLine(lines), {
          hint: "It was cancelled (photoferry shutting down, or the container stopped); it runs again next pass",
        });
  }
  return (
    detectStateFailure(lines) ?? detectSymfonyFailure(lines, flat) ?? genericFailure(result, lines)
  );
}

function detectOwnerFailure(lines: string[]): OccFailure | undefined {
  const configOwner = lines.findIndex((l) =>
    l.startsWith("Console has to be executed with the user that owns the file config/config.php"),
  );
  if (configOwner >= 0) {
    const required = valueAfter(lines, /^Owner(?: id)? of config\.php: (.+)$/);
    const current = valueAfter(lines, /^Current user(?: id)?: (.+)$/);
    return failure(
      "wrong-user",
      `occ ran as user ${current ?? "?"}, but Nextcloud's config.php belongs to ${required ?? "another user"}`,
      lines[configOwner] ?? "",
      {
        hint:
          required === "0" || required === "root"
            ? "config.php belongs to root, which is wrong: give Nextcloud's files back to the web server's user (e.g. chown -R 33:33 on config/ for the official image)"
            : `Set nextcloud.occ.user to "${required ?? "the owner of config.php"}", ${presetHint}`,
        requiredUser: required,
      },
    );
  }
  const dataOwner = lines.findIndex((l) =>
    l.startsWith("Console has to be executed with the user that owns the data directory"),
  );
  if (dataOwner >= 0) {
    const required = valueAfter(lines, /^Owner id of the data directory: (.+)$/);
    const current = valueAfter(lines, /^Current user id: (.+)$/);
    return failure(
      "wrong-data-dir-owner",
      `occ ran as user ${current ?? "?"}, but Nextcloud's data directory belongs to ${required ?? "another user"}`,
      lines[dataOwner] ?? "",
      {
        hint:
          `Set nextcloud.occ.user to "${required ?? "the data directory's owner"}" (${presetHint}); ` +
          "if the data directory's owner is wrong instead, give it back to the web server's user",
        requiredUser: required,
      },
    );
  }
  const missing = lines.find((l) => /^Data directory \(.*\) not found$/.test(l));
  if (missing) {
    return failure("data-dir-missing", "Nextcloud cannot find its data directory", missing, {
      hint: "Check that the data volume is mounted in the Nextcloud container and that datadirectory in config.php points to it",
    });
  }
  return undefined;
}

function detectStateFailure(lines: string[]): OccFailure | undefined {
  const maintenance = lines.find((l) => l.includes("is in maintenance mode"));
  if (maintenance) {
    return failure(
      "maintenance-mode",
      "Nextcloud is in maintenance mode, so its apps' commands are unavailable",
      maintenance,
      {
        hint: 'Wait for the maintenance (often an upgrade) to finish, or turn it off with "occ maintenance:mode --off"; photoferry retries later',
        temporary: true,
      },
    );
  }
  const upgrade = lines.find((l) =>
    /(?:one of its apps requires an upgrade|one of the apps require upgrade)/.test(l),
  );
  if (upgrade) {
    return failure(
      "needs-upgrade",
      "Nextcloud or one of its apps needs an upgrade, so app commands are unavailable",
      upgrade,
      {
        hint: 'Finish the upgrade: run "occ upgrade" in the Nextcloud container or open Nextcloud in a browser',
      },
    );
  }
  const notInstalled = lines.find((l) => /Nextcloud is not installed/.test(l));
  if (notInstalled) {
    return failure("not-installed", "Nextcloud is not installed yet", notInstalled, {
      hint: "Finish Nextcloud's installation first, and check that photoferry talks to the right container",
    });
  }
  return undefined;
}

function detectSymfonyFailure(lines: string[], flat: string): OccFailure | undefined {
  const exception = lines.findIndex((l) => l.startsWith("An unhandled exception has been thrown"));
  if (exception >= 0) {
    const detail = lines[exception + 1];
    return failure(
      "unhandled-exception",
      `occ crashed${detail ? `: ${detail}` : ""}`,
      lines[exception] ?? "",
      {
        hint: "Look in Nextcloud's log (nextcloud.log in the data directory) and check that its database is reachable",
      },
    );
  }
  const namespace = /There are no commands defined in the "([^"]+)" namespace\./.exec(flat);
  if (namespace?.[1] !== undefined) {
    return failure("namespace-not-defined", `occ has no "${namespace[1]}" commands`, namespace[0], {
      hint: appHint(namespace[1]),
    });
  }
  const command = /Command "([^"]+)" is not defined\./.exec(flat);
  if (command?.[1] !== undefined) {
    return failure("command-not-defined", `occ has no command "${command[1]}"`, command[0], {
      hint: appHint(command[1].split(":")[0] ?? command[1]),
    });
  }
  const option = /The "(-{1,2}[^"]+)" option does not exist\./.exec(flat);
  if (option?.[1] !== undefined) {
    const hint =
      option[1] === "--path" || option[1] === "--folder"
        ? `This Memories version does not know ${option[1]} (7.6.1 renamed --folder to --path); photoferry detects this from "memories:index --help" — run doctor, or update Memories`
        : `This Nextcloud or app version does not know ${option[1]}; update it, or tell photoferry's maintainers which version you run`;
    return failure("unknown-option", `occ does not know the option ${option[1]}`, option[0], {
      hint,
    });
  }
  return undefined;
}

function appHint(namespace: string): string {
  if (namespace === "memories") {
    return 'Install and enable the Memories app ("occ app:enable memories"), or set nextcloud.memories.enabled: false';
  }
  if (namespace === "files") {
    return 'The files app is not loaded: check "occ status" for maintenance mode or a pending upgrade';
  }
  return `Check that the app providing "${namespace}" commands is installed and enabled ("occ app:list")`;
}

function genericFailure(result: CommandResult, lines: string[]): OccFailure {
  const last = lastLine(lines);
  return failure(
    "command-failed",
    `occ exited with code ${result.exitCode ?? "?"}${last ? `: ${last}` : ""}`,
    last,
    {
      hint: "Read the output above; Nextcloud's log (nextcloud.log in the data directory) may say more",
    },
  );
}

function failure(
  kind: OccFailureKind,
  message: string,
  line: string,
  extra: { hint: string; temporary?: boolean; requiredUser?: string | undefined },
): OccFailure {
  const result: OccFailure = {
    kind,
    message,
    hint: extra.hint,
    count: 1,
    lines: line === "" ? [] : [line],
    temporary: extra.temporary ?? false,
  };
  if (extra.requiredUser !== undefined) result.requiredUser = extra.requiredUser;
  return result;
}

function valueAfter(lines: string[], pattern: RegExp): string | undefined {
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return undefined;
}

function lastLine(lines: string[]): string {
  return lines.at(-1) ?? "";
}
