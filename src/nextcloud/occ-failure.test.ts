import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import { detectOccFailure } from "./occ-failure.js";

function ran(
  stdout: string,
  stderr = "",
  exitCode: number | null = 1,
  timedOut = false,
): CommandResult {
  return { stdout, stderr, exitCode, timedOut, durationMs: 5 };
}

// nextcloud/server console.php, echoed to stdout.
const wrongUser = `Console has to be executed with the user that owns the file config/config.php
Current user id: 0
Owner id of config.php: 33
Try adding 'sudo -u #33' to the beginning of the command (without the single quotes)
If running with 'docker exec' try adding the option '-u 33' to the docker command (without the single quotes)
`;

const wrongUserOld = `Console has to be executed with the user that owns the file config/config.php
Current user: root
Owner of config.php: www-data
Try adding 'sudo -u www-data ' to the beginning of the command (without the single quotes)
`;

const wrongDataOwner = `Console has to be executed with the user that owns the data directory
Current user id: 33
Owner id of the data directory: 0
Try adding 'sudo -u #0' to the beginning of the command (without the single quotes)
If running with 'docker exec' try adding the option '-u 0' to the docker command (without the single quotes)
`;

const maintenanceNew = `Nextcloud is in maintenance mode. Only a limited number of commands are available.
In maintenance mode logins are blocked and events may not be triggered since apps are not loaded.
Proceed with maintenance activities then use the "occ maintenance:mode --off" to disable maintenance mode.


  Command "files:scan" is not defined.


`;

const maintenanceOld = `Nextcloud is in maintenance mode, no apps are loaded.
Commands provided by apps are unavailable.


  There are no commands defined in the "memories" namespace.


`;

const maintenanceOldest = `Nextcloud is in maintenance mode - no apps have been loaded

  Command "files:scan" is not defined.
`;

describe("detectOccFailure", () => {
  it("names config.php's owner as the user to run occ as", () => {
    const failure = detectOccFailure(ran(wrongUser));
    expect(failure).toMatchObject({ kind: "wrong-user", requiredUser: "33", temporary: false });
    expect(failure?.message).toContain("user 0");
    expect(failure?.hint).toContain('nextcloud.occ.user to "33"');
    expect(failure?.hint).toContain("preset");
  });

  it("reads the older wording with user names, even after exit 0", () => {
    const failure = detectOccFailure(ran(wrongUserOld, "", 0));
    expect(failure).toMatchObject({ kind: "wrong-user", requiredUser: "www-data" });
    expect(failure?.message).toContain("root");
  });

  it("does not suggest running occ as root when root owns config.php", () => {
    const failure = detectOccFailure(
      ran(wrongUser.replaceAll("33", "0").replace("id: 0", "id: 33")),
    );
    expect(failure).toMatchObject({ kind: "wrong-user", requiredUser: "0" });
    expect(failure?.message).toContain("user 33");
    expect(failure?.hint).toContain("belongs to root");
    expect(failure?.hint).not.toContain("nextcloud.occ.user");
  });

  it("recognises the data-directory owner variant and a missing data directory", () => {
    expect(detectOccFailure(ran(wrongDataOwner))).toMatchObject({
      kind: "wrong-data-dir-owner",
      requiredUser: "0",
    });
    expect(detectOccFailure(ran("Data directory (/var/www/html/data) not found\n"))).toMatchObject({
      kind: "data-dir-missing",
    });
  });

  it.each([
    ["current", maintenanceNew],
    ["older", maintenanceOld],
    ["oldest", maintenanceOldest],
  ])("puts maintenance mode (%s wording, stderr) before the missing command", (_, stderr) => {
    const failure = detectOccFailure(ran("", stderr, 1));
    expect(failure).toMatchObject({ kind: "maintenance-mode", temporary: true });
    expect(failure?.hint).toContain("maintenance:mode --off");
  });

  it("recognises a pending upgrade and an uninstalled Nextcloud, both wordings", () => {
    for (const line of [
      "Nextcloud or one of its apps requires an upgrade. Only a limited number of commands are available.",
      "Nextcloud or one of the apps require upgrade - only a limited number of commands are available",
    ]) {
      const failure = detectOccFailure(
        ran("", `${line}\n\n  Command "files:scan" is not defined.\n`),
      );
      expect(failure?.kind).toBe("needs-upgrade");
      expect(failure?.hint).toContain("occ upgrade");
    }
    expect(
      detectOccFailure(
        ran("", "Nextcloud is not installed - only a limited number of commands are available\n"),
      ),
    ).toMatchObject({ kind: "not-installed" });
  });

  it("ignores the maintenance notice when the command still succeeded (status)", () => {
    expect(
      detectOccFailure(ran('{"installed":true}', maintenanceNew.split("\n\n")[0], 0)),
    ).toBeUndefined();
  });

  it("reports an unhandled exception with its first line", () => {
    const failure = detectOccFailure(
      ran(
        "An unhandled exception has been thrown:\nDoctrine\\DBAL\\Exception: Failed to connect to the database\n#0 /var/www/html/lib/...\n",
      ),
    );
    expect(failure?.kind).toBe("unhandled-exception");
    expect(failure?.message).toContain("Failed to connect to the database");
  });

  it("says how to get Memories when its namespace is missing", () => {
    const failure = detectOccFailure(
      ran(
        "",
        '\n                                                              \n  There are no commands defined in the "memories" namespace.  \n\n',
      ),
    );
    expect(failure).toMatchObject({ kind: "namespace-not-defined" });
    expect(failure?.hint).toContain("nextcloud.memories.enabled: false");
  });

  it("reads Symfony's error block even when it is wrapped across lines", () => {
    const failure = detectOccFailure(
      ran("", '\n  There are no commands defined in the\n  "memories" namespace.\n'),
    );
    expect(failure?.kind).toBe("namespace-not-defined");
  });

  it("recognises an undefined command and an unknown option", () => {
    expect(detectOccFailure(ran("", '\n  Command "files:scan" is not defined.\n'))).toMatchObject({
      kind: "command-not-defined",
    });
    const option = detectOccFailure(ran("", '\n  The "--path" option does not exist.\n'));
    expect(option?.kind).toBe("unknown-option");
    expect(option?.hint).toContain("7.6.1");
    const other = detectOccFailure(ran("", '\n  The "--shallow" option does not exist.\n'));
    expect(other?.hint).toContain("--shallow");
  });

  it("tells a timeout from a cancellation", () => {
    expect(detectOccFailure(ran("Starting scan", "", null, true))?.kind).toBe("timed-out");
    expect(detectOccFailure(ran("", "", null, false))?.kind).toBe("stopped");
  });

  it("falls back to the last line for anything else that failed", () => {
    const failure = detectOccFailure(ran("", "exiftool is not working\n", 1));
    expect(failure).toMatchObject({ kind: "command-failed" });
    expect(failure?.message).toBe("occ exited with code 1: exiftool is not working");
  });

  it("finds nothing wrong in a successful run", () => {
    expect(
      detectOccFailure(ran("Starting scan for user 1 out of 1 (alice)\n", "", 0)),
    ).toBeUndefined();
  });
});
