import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../../test-support/child-build.js";
import {
  createSimulatedNextcloud,
  readFileCache,
  readMemoriesIndex,
  setMaintenanceMode,
  updateSimulatorSettings,
  type SimulatedNextcloud,
  type SimulatedNextcloudOptions,
} from "./simulated-nextcloud.js";

/** The simulator run as a real child process, the way photoferry's runners run occ. */
let program = "";
// Transpiling src/ for the child process takes a while on a busy machine.
// Running occ as uid 33 needs node and the transpiled program to be reachable by that uid;
// a checkout inside a private folder (mode 0700) is not. Those tests then skip, loudly.
let otherUidCanRun = false;
beforeAll(() => {
  program = join(buildForChildProcess(), "simulators", "nextcloud", "occ-sim.js");
  const probe = spawnSync(
    process.execPath,
    ["-e", `require("fs").accessSync(${JSON.stringify(program)})`],
    { uid: 33, gid: 33, stdio: "ignore" },
  );
  otherUidCanRun = probe.status === 0;
  if (!otherUidCanRun)
    console.warn(
      `!!! SKIPPING the occ simulator's uid-33 tests: uid 33 cannot reach ${program} ` +
        "(a parent folder is not searchable by others) !!!",
    );
}, 120_000);

interface OccResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function occ(
  nc: SimulatedNextcloud,
  args: readonly string[],
  options: { uid?: number; input?: string } = {},
): OccResult {
  const result = spawnSync(process.execPath, [program, nc.occPath, ...args], {
    cwd: tmpdir(),
    encoding: "utf8",
    input: options.input ?? "",
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function instance(options: Omit<SimulatedNextcloudOptions, "root"> = {}): SimulatedNextcloud {
  const base = mkdtempSync(join(tmpdir(), "occ-sim-"));
  chmodSync(base, 0o755); // so a test can run occ as another uid
  return createSimulatedNextcloud({ users: ["alice"], ...options, root: join(base, "html") });
}

function putFile(path: string, size: number, mtime = 1_700_000_000): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.alloc(size, 7));
  utimesSync(path, mtime, mtime);
}

/** The summary table's data row by header (split on "|", as the reference advises). */
function tableRow(stdout: string): Record<string, string> {
  const rows = stdout.split("\n").filter((l) => l.startsWith("|"));
  const cells = (line = ""): string[] =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const headers = cells(rows[0]);
  const values = cells(rows[1]);
  return Object.fromEntries(headers.map((h, i) => [h, values[i] ?? ""]));
}

const files = (nc: SimulatedNextcloud, uid: string, rel: string): string =>
  join(nc.dataDir, uid, "files", rel);

describe("invocation", () => {
  it("refuses a caller who does not own config.php, with Nextcloud's exact text", () => {
    const nc = instance();
    chownSync(join(nc.root, "config", "config.php"), 33, 33);
    const result = occ(nc, ["status"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "Console has to be executed with the user that owns the file config/config.php\n" +
        "Current user id: 0\n" +
        "Owner id of config.php: 33\n" +
        "Try adding 'sudo -u #33' to the beginning of the command (without the single quotes)\n" +
        "If running with 'docker exec' try adding the option '-u 33' to the docker command (without the single quotes)\n",
    );
  });

  it("runs as the owner of config.php", (context) => {
    if (!otherUidCanRun) context.skip();
    const nc = instance({ ownerUid: 33 });
    const result = occ(nc, ["files:scan", "alice"], { uid: 33 });
    expect(result.code).toBe(0);
    expect(tableRow(result.stdout).Errors).toBe("0");
  });

  it("prints PHP's message for a missing occ file", () => {
    const nc = instance();
    rmSync(nc.occPath);
    expect(occ(nc, ["status"])).toMatchObject({
      code: 1,
      stdout: expect.stringContaining("Could not open input file") as unknown,
    });
  });

  it("reports an unknown command and namespace the Symfony way", () => {
    const nc = instance();
    const unknown = occ(nc, ["files:nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('  Command "files:nope" is not defined.  ');
    const namespace = occ(nc, ["foo:bar"]);
    expect(namespace.stderr).toContain('There are no commands defined in the "foo" namespace.');
  });
});

describe("status", () => {
  it("prints plain, json and json_pretty", () => {
    const nc = instance({ version: "30.0.4.1" });
    expect(occ(nc, ["status"]).stdout).toBe(
      "  - installed: true\n  - version: 30.0.4.1\n  - versionstring: 30.0.4\n  - edition: \n" +
        "  - maintenance: false\n  - needsDbUpgrade: false\n  - productname: Nextcloud\n" +
        "  - extendedSupport: false\n",
    );
    const json = occ(nc, ["status", "--output=json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      installed: true,
      version: "30.0.4.1",
      versionstring: "30.0.4",
      edition: "",
      maintenance: false,
      needsDbUpgrade: false,
      productname: "Nextcloud",
      extendedSupport: false,
    });
    expect(occ(nc, ["status", "--output=json_pretty"]).stdout).toContain(
      '    "installed": true,\n',
    );
  });

  it("-e exits 0, 1 in maintenance, 2 when an upgrade is needed, and prints nothing", () => {
    const nc = instance();
    expect(occ(nc, ["status", "-e"])).toEqual({ code: 0, stdout: "", stderr: "" });
    setMaintenanceMode(nc.root, true);
    expect(occ(nc, ["status", "-e"]).code).toBe(1);
    setMaintenanceMode(nc.root, false);
    updateSimulatorSettings(nc.root, { needsDbUpgrade: true });
    expect(occ(nc, ["status", "--exit-code"]).code).toBe(2);
  });

  it("has no -e before Nextcloud 27", () => {
    const nc = instance({ version: "26.0.13.1" });
    const result = occ(nc, ["status", "-e"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The "-e" option does not exist.');
  });
});

describe("maintenance mode", () => {
  it("rewrites config.php and hides app commands until it is off", () => {
    const nc = instance();
    expect(occ(nc, ["maintenance:mode", "--on"]).stdout).toBe("Maintenance mode enabled\n");
    expect(readFileSync(join(nc.root, "config", "config.php"), "utf8")).toContain(
      "'maintenance' => true,",
    );
    const scan = occ(nc, ["files:scan", "--all"]);
    expect(scan.code).toBe(1);
    expect(scan.stderr).toMatch(/^Nextcloud is in maintenance mode\. Only a limited number/);
    expect(scan.stderr).toContain('Command "files:scan" is not defined.');
    expect(occ(nc, ["memories:index"]).stderr).toContain(
      'There are no commands defined in the "memories" namespace.',
    );
    expect(JSON.parse(occ(nc, ["status", "--output=json"]).stdout)).toMatchObject({
      maintenance: true,
    });
    expect(occ(nc, ["maintenance:mode", "--on"]).stdout).toBe("Maintenance mode already enabled\n");
    expect(occ(nc, ["maintenance:mode", "--off"]).stdout).toBe("Maintenance mode disabled\n");
    expect(occ(nc, ["files:scan", "--all"]).code).toBe(0);
  });

  it("needsDbUpgrade also hides app commands", () => {
    const nc = instance();
    updateSimulatorSettings(nc.root, { needsDbUpgrade: true });
    const scan = occ(nc, ["files:scan", "alice"]);
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain("requires an upgrade");
  });
});

describe("users and config", () => {
  it("lists users (spaces, @, ') as JSON with a limit", () => {
    const nc = instance({ users: ["zoe", "bob smith", "john.doe@example.com", "O'Brien"] });
    const all = occ(nc, ["user:list", "--output=json"]);
    expect(all.stdout).toBe(
      '{"bob smith":"bob smith","john.doe@example.com":"john.doe@example.com","O\'Brien":"O\'Brien","zoe":"zoe"}\n',
    );
    expect(
      Object.keys(
        JSON.parse(occ(nc, ["user:list", "--output=json", "--limit", "2"]).stdout) as object,
      ),
    ).toEqual(["bob smith", "john.doe@example.com"]);
  });

  it("without a user list, users are the data-dir folders with files/", () => {
    const nc = instance({ users: [] });
    updateSimulatorSettings(nc.root, { users: undefined });
    mkdirSync(join(nc.dataDir, "carol", "files"), { recursive: true });
    mkdirSync(join(nc.dataDir, "not-a-user"), { recursive: true });
    expect(occ(nc, ["user:list"]).stdout).toBe("  - carol: carol\n");
  });

  it("config:system:get prints datadirectory and instanceid, exit 1 for a missing key", () => {
    const nc = instance();
    expect(occ(nc, ["config:system:get", "datadirectory"]).stdout).toBe(`${nc.dataDir}\n`);
    expect(occ(nc, ["config:system:get", "instanceid"]).stdout).toMatch(/^oc[a-z0-9]+\n$/);
    expect(occ(nc, ["config:system:get", "nope"])).toEqual({ code: 1, stdout: "", stderr: "" });
  });
});

describe("files:scan", () => {
  it("28–34: seven columns, new files counted as Updated, -v lines, exit 0", () => {
    const nc = instance({ version: "30.0.4.1" });
    putFile(files(nc, "alice", "Photos/a.jpg"), 10);
    putFile(files(nc, "alice", "Photos/2024/b.jpg"), 10);
    const result = occ(nc, ["files:scan", "-v", "--path=/alice/files/Photos"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Starting scan for user 1 out of 1 (alice)\n" +
        "\tFolder\t/alice/files/Photos\n" +
        "\tFile\t/alice/files/Photos/a.jpg\n" +
        "\tFolder\t/alice/files/Photos/2024\n" +
        "\tFile\t/alice/files/Photos/2024/b.jpg\n" +
        "\n" +
        "+---------+-------+-----+---------+---------+--------+--------------+\n" +
        "| Folders | Files | New | Updated | Removed | Errors | Elapsed time |\n" +
        "+---------+-------+-----+---------+---------+--------+--------------+\n" +
        "| 2       | 2     | 0   | 6       | 0       | 0      | 00:00:00     |\n" +
        "+---------+-------+-----+---------+---------+--------+--------------+\n",
    );
    // Six new entries: Photos, 2024, both files, and the parents /alice and /alice/files.
    expect(Object.keys(readFileCache(nc.root)).sort()).toEqual([
      "/alice",
      "/alice/files",
      "/alice/files/Photos",
      "/alice/files/Photos/2024",
      "/alice/files/Photos/2024/b.jpg",
      "/alice/files/Photos/a.jpg",
    ]);
    expect(occ(nc, ["files:scan", "--output=json", "alice"]).stdout).toContain("| Folders |");
  });

  it("counts changed files as Updated and vanished ones as Removed", () => {
    const nc = instance();
    putFile(files(nc, "alice", "Photos/a.jpg"), 10);
    putFile(files(nc, "alice", "Photos/b.jpg"), 10);
    occ(nc, ["files:scan", "alice"]);
    rmSync(files(nc, "alice", "Photos/a.jpg"));
    putFile(files(nc, "alice", "Photos/b.jpg"), 20);
    utimesSync(files(nc, "alice", "Photos"), 1_700_000_000, 1_700_000_000);
    const row = tableRow(occ(nc, ["files:scan", "--path", "/alice/files/Photos/"]).stdout);
    // b.jpg changed size, and the folder's mtime changed (a file left it).
    expect(row).toMatchObject({ Folders: "1", Files: "1", New: "0", Updated: "2", Removed: "1" });
    expect(readFileCache(nc.root)["/alice/files/Photos/b.jpg"]?.size).toBe(20);
  });

  it("≤ 27 prints the old three-column table", () => {
    const nc = instance({ version: "27.1.11.3" });
    expect(occ(nc, ["files:scan", "bob"]).stdout).toBe(
      "Unknown user 1 bob\n" +
        "+---------+-------+--------------+\n" +
        "| Folders | Files | Elapsed time |\n" +
        "+---------+-------+--------------+\n" +
        "| 0       | 0     | 00:00:00     |\n" +
        "+---------+-------+--------------+\n",
    );
  });

  it("≥ 35 gives JSON after the Starting line", () => {
    const nc = instance({ version: "35.0.0.1" });
    putFile(files(nc, "alice", "a.jpg"), 5);
    const lines = occ(nc, ["files:scan", "--output=json", "alice"]).stdout.split("\n");
    expect(lines[0]).toBe("Starting scan for user 1 out of 1 (alice)");
    expect(JSON.parse(lines[1] ?? "")).toEqual([
      {
        Folders: 2,
        Files: 1,
        New: 0,
        Updated: 3,
        Removed: 0,
        Errors: 0,
        "Elapsed time": "00:00:00",
      },
    ]);
  });

  it("reports errors in the Errors column but exits 0", () => {
    const nc = instance({ users: ["alice", "bob"] });
    putFile(files(nc, "alice", "ok.jpg"), 5);
    putFile(files(nc, "alice", "Cafe\u0301.jpg"), 5);
    const nfd = occ(nc, ["files:scan", "alice"]);
    expect(nfd.stdout).toContain(
      '\tEntry "files/Cafe\u0301.jpg" will not be accessible due to incompatible encoding\n',
    );
    expect(tableRow(nfd.stdout)).toMatchObject({ Files: "1", Errors: "1" });

    const missing = occ(nc, ["files:scan", "--path=/alice/files/Nope"]);
    expect(missing.stdout).toContain("Path not found: /alice/files/Nope\n");
    expect(tableRow(missing.stdout).Errors).toBe("1");

    const dots = occ(nc, ["files:scan", "--path=/alice/files/../bob/files"]);
    expect(dots.stdout).toContain("Exception during scan: Invalid path to scan\n");

    updateSimulatorSettings(nc.root, {
      scanExceptions: [{ pathPrefix: "/alice/files/ok.jpg", message: "disk on fire" }],
    });
    const fault = occ(nc, ["files:scan", "alice", "bob"]);
    expect(fault.code).toBe(0);
    expect(fault.stdout).toContain("Exception during scan: disk on fire\n");
    expect(fault.stdout).toContain("Starting scan for user 2 out of 2 (bob)");

    const unknown = occ(nc, ["files:scan", "--path=/__groupfolders/1"]);
    expect(unknown.stdout).toContain("Unknown user 1 __groupfolders\n");
    expect(tableRow(unknown.stdout).Errors).toBe("0");
  });

  it("ignores .part files and *.part folders", () => {
    const nc = instance();
    putFile(files(nc, "alice", "up.jpg.ocTransferId123.part"), 5);
    putFile(files(nc, "alice", "chunk.part/x.jpg"), 5);
    putFile(files(nc, "alice", "real.jpg"), 5);
    expect(tableRow(occ(nc, ["files:scan", "alice"]).stdout).Files).toBe("1");
    expect(Object.keys(readFileCache(nc.root))).not.toContain("/alice/files/chunk.part");
  });

  it("--shallow lists only the direct children", () => {
    const nc = instance();
    putFile(files(nc, "alice", "Photos/deep/x.jpg"), 5);
    putFile(files(nc, "alice", "Photos/top.jpg"), 5);
    const row = tableRow(occ(nc, ["files:scan", "--shallow", "--path=/alice/files/Photos"]).stdout);
    expect(row).toMatchObject({ Folders: "1", Files: "1" });
    expect(readFileCache(nc.root)["/alice/files/Photos/deep/x.jpg"]).toBeUndefined();
  });

  it("handles user ids with spaces, @ and ' as one argument", () => {
    const users = ["bob smith", "john.doe@example.com", "O'Brien"];
    const nc = instance({ users });
    for (const uid of users) putFile(files(nc, uid, "My Photos/a.jpg"), 5);
    for (const uid of users) {
      const result = occ(nc, ["files:scan", `--path=/${uid}/files/My Photos`]);
      expect(result.stdout).toContain(`Starting scan for user 1 out of 1 (${uid})`);
      expect(tableRow(result.stdout)).toMatchObject({ Files: "1", Errors: "0" });
    }
  });

  it("needs a user, --all or --path", () => {
    const nc = instance();
    expect(occ(nc, ["files:scan"])).toEqual({
      code: 1,
      stdout: "Please specify the user id to scan, --all to scan for all users or --path=...\n",
      stderr: "",
    });
  });

  it("-q prints nothing", () => {
    const nc = instance();
    expect(occ(nc, ["files:scan", "-q", "alice"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("reports a home folder the caller cannot write, as Nextcloud does", (context) => {
    if (!otherUidCanRun) context.skip();
    const nc = instance({ ownerUid: 33 });
    chownSync(join(nc.dataDir, "alice"), 0, 0);
    chmodSync(join(nc.dataDir, "alice"), 0o755);
    const result = occ(nc, ["files:scan", "alice"], { uid: 33 });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Home storage for user alice not writable or 'files' subdirectory missing\n" +
        `  User folder ${nc.dataDir}/alice/ is not writable, folders is owned by root and has mode 40755\n` +
        "Make sure you're running the scan command only as the user the web server runs as\n",
    );
    expect(tableRow(result.stdout).Errors).toBe("1");
  });
});

describe("memories:index", () => {
  function scanned(memoriesVersion = "8.1.0"): SimulatedNextcloud {
    const nc = instance({ memoriesVersion });
    putFile(files(nc, "alice", "Photos/a.jpg"), 10);
    putFile(files(nc, "alice", "Photos/clip.MOV"), 10);
    putFile(files(nc, "alice", "Photos/empty.jpg"), 0);
    putFile(files(nc, "alice", "Photos/notes.txt"), 10);
    occ(nc, ["files:scan", "alice"]);
    return nc;
  }

  it("indexes scanned media with size > 0, printing progress without line ends", () => {
    const nc = scanned();
    putFile(files(nc, "alice", "Photos/unscanned.jpg"), 10);
    const result = occ(nc, ["memories:index", "--user=alice", "--path=Photos"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Indexing user alice\n" +
        "Indexing folder /alice/files/Photos" +
        "Indexing file /alice/files/Photos/a.jpg" +
        "Indexing file /alice/files/Photos/clip.MOV" +
        "Cleaning up stale index entries",
    );
    expect(readMemoriesIndex(nc.root).entries.map((e) => e.path)).toEqual([
      "/alice/files/Photos/a.jpg",
      "/alice/files/Photos/clip.MOV",
    ]);
    const again = occ(nc, ["memories:index", "-u", "alice"]);
    expect(again.stdout).not.toContain("Indexing file");
    expect(occ(nc, ["memories:index", "-u", "alice", "-f"]).stdout).toContain(
      "Forcing refresh of existing index entries\n",
    );
  });

  it("cleans up entries whose file left the file cache, unless --skip-cleanup", () => {
    const nc = scanned();
    occ(nc, ["memories:index"]);
    rmSync(files(nc, "alice", "Photos/a.jpg"));
    occ(nc, ["files:scan", "alice"]);
    occ(nc, ["memories:index", "--skip-cleanup"]);
    expect(readMemoriesIndex(nc.root).entries).toHaveLength(2);
    occ(nc, ["memories:index"]);
    expect(readMemoriesIndex(nc.root).entries.map((e) => e.path)).toEqual([
      "/alice/files/Photos/clip.MOV",
    ]);
  });

  it("reports missing users and folders but exits 0", () => {
    const nc = scanned();
    expect(occ(nc, ["memories:index", "--user=bob"])).toMatchObject({
      code: 0,
      stdout: "User bob not found\n\nCleaning up stale index entries",
    });
    expect(occ(nc, ["memories:index", "-u", "alice", "--path=Nope"]).stdout).toContain(
      "The specified folder Nope does not exist for alice\n",
    );
  });

  it("records failures and skips them until --retry", () => {
    const nc = scanned();
    updateSimulatorSettings(nc.root, {
      indexFailures: [{ pathPrefix: "/alice/files/Photos/a.jpg", message: "exiftool died" }],
    });
    const first = occ(nc, ["memories:index", "-u", "alice"]);
    expect(first.stdout).toContain(
      "Failed to index file /alice/files/Photos/a.jpg: exiftool died\n\n",
    );
    expect(first.stdout).toContain(
      "Indexing skipped for 1 failed files, use --retry to try again\n",
    );
    expect(readMemoriesIndex(nc.root).failures).toHaveLength(1);
    updateSimulatorSettings(nc.root, { indexFailures: [] });
    const retry = occ(nc, ["memories:index", "-u", "alice", "--retry"]);
    expect(retry.stdout).toContain("Retrying indexing of failed files\n");
    expect(readMemoriesIndex(nc.root)).toMatchObject({ failures: [] });
  });

  it("--clear without a terminal (or with -n) clears without asking", () => {
    const nc = scanned();
    occ(nc, ["memories:index"]);
    const cleared = occ(nc, ["memories:index", "-n", "--clear", "--skip-cleanup", "-u", "nobody"]);
    expect(cleared.stdout).toContain("Cleared existing index\n");
    expect(readMemoriesIndex(nc.root).entries).toHaveLength(0);
  });

  it("before 7.6.1 takes --folder and refuses --path the Symfony way", () => {
    const nc = scanned("7.5.2");
    const refused = occ(nc, ["memories:index", "--path=Photos"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "\n" +
        "                                       \n" +
        '  The "--path" option does not exist.  \n' +
        "                                       \n" +
        "\n" +
        "memories:index [-u|--user USER] [-g|--group GROUP] [--folder FOLDER] [-f|--force] [--clear] [--retry] [--skip-cleanup]\n" +
        "\n",
    );
    expect(occ(nc, ["memories:index", "-u", "alice", "--folder=Photos"]).stdout).toContain(
      "Indexing file /alice/files/Photos/a.jpg",
    );
  });

  it("--help lists the options of that Memories version", () => {
    const help = occ(scanned("8.1.0"), ["memories:index", "--help"]).stdout;
    expect(help).toContain(
      "Usage:\n  memories:index [options]\n\nOptions:\n" +
        "  -u, --user=USER       Index only the specified user\n" +
        "  -g, --group=GROUP     Index only specified group\n" +
        "      --path=PATH       Index only the specified folder or file (relative to the user's root)\n",
    );
    expect(help).toMatch(/-v\|vv\|vvv, --verbose {2}Increase the verbosity/);
    const old = occ(scanned("6.2.2"), ["memories:index", "--help"]).stdout;
    expect(old).toContain("      --folder=FOLDER");
    expect(old).not.toContain("--retry");
  });

  it("is missing when Memories is not installed", () => {
    const nc = instance({ memoriesVersion: null });
    const result = occ(nc, ["memories:index"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There are no commands defined in the "memories" namespace.');
  });
});
