import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { chownSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { errorCode } from "../../errno.js";
import { parsePhpConfig, renderPhpConfig } from "./php-config.js";
import type { PhpArray, PhpValue } from "./php-value.js";
import { parseSimulatorSettings, type SimulatorSettings } from "./simulator-settings.js";

/** One simulated Nextcloud installation, as read from `<root>/config/`. */
export interface Instance {
  root: string;
  configPath: string;
  config: PhpArray;
  settings: SimulatorSettings;
  dataDir: string;
  instanceId: string;
  /** config.php `version`, e.g. "30.0.4.1". */
  version: string;
  maintenance: boolean;
  installed: boolean;
}

export class InstanceError extends Error {
  override readonly name = "InstanceError";
}

export const configPathOf = (root: string): string => join(root, "config", "config.php");
export const settingsPathOf = (root: string): string => join(root, "config", "simulator.json");

/** Where the simulator keeps its database: Nextcloud's own appdata folder, never a user. */
export const stateDirOf = (dataDir: string, instanceId: string): string =>
  join(dataDir, `appdata_${instanceId}`, "photoferry-sim");

export function loadInstance(root: string): Instance {
  const configPath = configPathOf(root);
  const config = parsePhpConfig(readText(configPath));
  const settingsPath = settingsPathOf(root);
  let settingsJson: unknown = {};
  try {
    settingsJson = JSON.parse(readFileSync(settingsPath, "utf8"));
  } catch (error) {
    if (errorCode(error) !== "ENOENT") {
      throw new InstanceError(`Cannot read ${settingsPath}: ${String(error)}. Fix or delete it.`);
    }
  }
  const settings = parseSimulatorSettings(settingsJson, settingsPath);
  const text = (key: string, fallback: string): string => {
    const value = config.get(key);
    return typeof value === "string" ? value : fallback;
  };
  return {
    root,
    configPath,
    config,
    settings,
    dataDir: text("datadirectory", join(root, "data")),
    instanceId: text("instanceid", ""),
    version: text("version", "0.0.0.0"),
    maintenance: config.get("maintenance") === true,
    installed: config.get("installed") === true,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") {
      throw new InstanceError(
        `${path} does not exist: this is not a simulated Nextcloud root. ` +
          `Create one with createSimulatedNextcloud().`,
      );
    }
    throw error;
  }
}

/**
 * console.php's first check: occ runs only as the owner of config.php. Returns the exact text
 * Nextcloud echoes (to stdout) when the caller is someone else.
 */
export function ownerMismatchMessage(configPath: string, callerUid: number): string | undefined {
  const ownerUid = statSync(configPath).uid;
  if (ownerUid === callerUid) return undefined;
  return (
    "Console has to be executed with the user that owns the file config/config.php\n" +
    `Current user id: ${callerUid}\n` +
    `Owner id of config.php: ${ownerUid}\n` +
    `Try adding 'sudo -u #${ownerUid}' to the beginning of the command (without the single quotes)\n` +
    `If running with 'docker exec' try adding the option '-u ${ownerUid}' to the docker command (without the single quotes)\n`
  );
}

/** Sets one config.php value and rewrites the file atomically, keeping its owner and mode. */
export function setConfigValue(root: string, key: string, value: PhpValue): void {
  const configPath = configPathOf(root);
  const config = parsePhpConfig(readText(configPath));
  config.set(key, value);
  writeFileAtomic(configPath, renderPhpConfig(config));
}

/**
 * Write to a temporary file beside the target, fsync, rename: a reader (or a crash) sees the
 * old or the new file, never half of one. An existing file's owner and mode are kept.
 */
export function writeFileAtomic(path: string, text: string): void {
  let mode = 0o640;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const stat = statSync(path);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (owner && process.getuid?.() === 0) chownSync(temp, owner.uid, owner.gid);
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}
