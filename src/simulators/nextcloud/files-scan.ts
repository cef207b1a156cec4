import { hasOption, optionValue, type CommandDefinition } from "./console-input.js";
import { renderTable, Verbosity } from "./console-output.js";
import {
  majorVersion,
  outputFormat,
  outputOption,
  type CommandContext,
  type SimCommand,
} from "./command.js";
import { phpJsonEncode, phpArray, phpList } from "./php-value.js";
import { loadFileCache, saveFileCache, type FileCache } from "./sim-state.js";
import { scanUserPath, ScanFailure, ScanForbidden, ScanNotFound } from "./tree-scanner.js";
import { listUsers, userExists } from "./users.js";

/**
 * `occ files:scan` in its three generations: ≤ 27 (Folders | Files | Elapsed time),
 * 28–34 (seven columns; new files counted as Updated; --output ignored for the summary),
 * ≥ 35 (the same table, or JSON with --output=json).
 */
const scanDefinition: CommandDefinition = {
  name: "files:scan",
  description: "rescan filesystem",
  arguments: [
    { name: "user_id", description: "will rescan all files of the given user(s)", array: true },
  ],
  options: [
    outputOption,
    {
      name: "path",
      shortcut: "p",
      value: "required",
      description:
        'limit rescan to this path, eg. --path="/alice/files/Music", the user_id is determined by the path and the user_id parameter and --all are ignored',
    },
    {
      name: "generate-metadata",
      value: "optional",
      description:
        "Generate metadata for all scanned files; if specified only generate for named value",
      default: "",
    },
    { name: "all", value: "none", description: "will rescan all files of all known users" },
    {
      name: "unscanned",
      value: "none",
      description: "only scan files which are marked as not fully scanned",
    },
    { name: "shallow", value: "none", description: "do not scan folders recursively" },
    {
      name: "home-only",
      value: "none",
      description: "only scan the home storage, ignoring any mounted external storage or share",
    },
  ],
};

interface Counters {
  folders: number;
  files: number;
  updated: number;
  removed: number;
  errors: number;
}

export function filesScanCommand(ncMajor: number): SimCommand {
  const options =
    ncMajor >= 28
      ? scanDefinition.options
      : scanDefinition.options.filter((o) => o.name !== "generate-metadata");
  return { definition: { ...scanDefinition, options }, fromApp: true, run: runScan };
}

function runScan(ctx: CommandContext): number {
  const started = Date.now();
  const { input, output, instance } = ctx;
  const inputPath = optionValue(input, "path");
  let path: string | undefined;
  let users: string[];
  if (inputPath) {
    path = "/" + inputPath.replace(/^\/+|\/+$/g, "");
    users = [path.split("/")[1] ?? ""];
  } else if (hasOption(input, "all")) {
    users = listUsers(instance, ctx.disk);
  } else {
    users = input.arguments.get("user_id") ?? [];
  }
  if (users.length === 0) {
    output.writeln(
      "<error>Please specify the user id to scan, --all to scan for all users or --path=...</error>",
    );
    return 1;
  }

  const counters: Counters = { folders: 0, files: 0, updated: 0, removed: 0, errors: 0 };
  const cache = loadFileCache(instance.dataDir, instance.instanceId);
  const recursive = !hasOption(input, "shallow");
  users.forEach((uid, index) => {
    const userCount = index + 1;
    if (userExists(instance, ctx.disk, uid)) {
      output.writeln(`Starting scan for user ${userCount} out of ${users.length} (${uid})`);
      scanOneUser(ctx, cache, counters, uid, path ?? `/${uid}`, recursive);
    } else {
      output.writeln(`<error>Unknown user ${userCount} ${uid}</error>`);
    }
    output.writeln("", Verbosity.Verbose);
  });
  presentStats(ctx, counters, Date.now() - started);
  return 0;
}

function scanOneUser(
  ctx: CommandContext,
  cache: FileCache,
  counters: Counters,
  uid: string,
  path: string,
  recursive: boolean,
): void {
  const { output, instance } = ctx;
  const countsErrors = majorVersion(instance) >= 28;
  try {
    scanUserPath(
      {
        disk: ctx.disk,
        dataDir: instance.dataDir,
        cache,
        scanFaults: instance.settings.scanExceptions,
        events: {
          file: (p) => {
            output.writeln(`\tFile\t<info>${p}</info>`, Verbosity.Verbose);
            counters.files += 1;
          },
          folder: (p) => {
            output.writeln(`\tFolder\t<info>${p}</info>`, Verbosity.Verbose);
            counters.folders += 1;
          },
          updated: () => (counters.updated += 1),
          removed: () => (counters.removed += 1),
          nameMismatch: (p) => {
            output.writeln(
              `\t<error>Entry "${p}" will not be accessible due to incompatible encoding</error>`,
            );
            counters.errors += 1;
          },
        },
      },
      uid,
      path,
      recursive,
    );
  } catch (error) {
    if (error instanceof ScanForbidden) {
      output.writeln(
        `<error>Home storage for user ${uid} not writable or 'files' subdirectory missing</error>`,
      );
      if (countsErrors) output.writeln(`  ${error.message}`);
      output.writeln(
        "Make sure you're running the scan command only as the user the web server runs as",
      );
    } else if (error instanceof ScanNotFound) {
      output.writeln(`<error>Path not found: ${error.message}</error>`);
    } else if (error instanceof ScanFailure) {
      output.writeln(`<error>Exception during scan: ${error.message}</error>`);
      output.writeln("<error>#0 {main}</error>");
    } else throw error;
    counters.errors += 1;
  } finally {
    // Nextcloud scans without a transaction: what was scanned before a failure stays.
    saveFileCache(instance.dataDir, instance.instanceId, cache);
  }
}

function elapsed(ms: number): string {
  const secs = Math.round(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}`;
}

function presentStats(ctx: CommandContext, c: Counters, ms: number): void {
  const major = majorVersion(ctx.instance);
  if (major < 28) {
    ctx.output.write(
      renderTable(
        ["Folders", "Files", "Elapsed time"],
        [[`${c.folders}`, `${c.files}`, elapsed(ms)]],
      ),
    );
    return;
  }
  // Every new entry is reported as "Updated" (nextcloud/server PR #62024): New stays 0.
  const row = phpArray([
    ["Folders", c.folders],
    ["Files", c.files],
    ["New", 0],
    ["Updated", c.updated],
    ["Removed", c.removed],
    ["Errors", c.errors],
    ["Elapsed time", elapsed(ms)],
  ]);
  const format = outputFormat(ctx.input);
  if (major >= 35 && format !== "plain") {
    ctx.output.writeln(phpJsonEncode(phpList([row]), format === "json_pretty"));
    return;
  }
  ctx.output.write(renderTable([...row.keys()].map(String), [[...row.values()].map(String)]));
}
