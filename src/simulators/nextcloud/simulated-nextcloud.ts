import { chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { errorCode } from "../../errno.js";
import {
  configPathOf,
  loadInstance,
  setConfigValue,
  settingsPathOf,
  writeFileAtomic,
} from "./instance.js";
import { renderPhpConfig } from "./php-config.js";
import { phpArray } from "./php-value.js";
import {
  loadFileCache,
  loadMemoriesIndex,
  type FileCacheEntry,
  type MemoriesEntry,
  type MemoriesFailure,
} from "./sim-state.js";
import { parseSimulatorSettings, type SimulatorSettingsInput } from "./simulator-settings.js";

/**
 * Helpers for tests and `photoferry demo`: create a simulated Nextcloud on disk, read what
 * the simulated occ did (file cache, Memories index), and change its settings.
 */
export interface SimulatedNextcloudOptions {
  /** The Nextcloud root (`/var/www/html`); created if missing. */
  root: string;
  /** Default `<root>/data`. */
  dataDir?: string;
  /** config.php `version`; default "30.0.4.1". */
  version?: string;
  /** Memories app version; null: not installed. Default "8.1.0". */
  memoriesVersion?: string | null;
  /** Users whose `files/` folders are created; also the user list (simulator.json). */
  users?: string[];
  /** Owner of config.php (occ runs only as this uid) and the data dir; default: the caller. */
  ownerUid?: number;
}

export interface SimulatedNextcloud {
  root: string;
  occPath: string;
  dataDir: string;
}

export function createSimulatedNextcloud(options: SimulatedNextcloudOptions): SimulatedNextcloud {
  const root = resolve(options.root);
  const dataDir = resolve(options.dataDir ?? join(root, "data"));
  const instanceId = `oc${Math.random().toString(36).slice(2, 12)}`;
  mkdirSync(join(root, "config"), { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const occPath = join(root, "occ");
  writeFileSync(occPath, "<?php\n// Simulated Nextcloud: run with occ-sim.\n");
  writeFileSync(join(dataDir, ".ocdata"), "");
  const config = phpArray([
    ["instanceid", instanceId],
    ["datadirectory", dataDir],
    ["version", options.version ?? "30.0.4.1"],
    ["installed", true],
    ["maintenance", false],
    ["trusted_domains", phpArray([[0, "localhost"]])],
  ]);
  writeFileSync(configPathOf(root), renderPhpConfig(config), { mode: 0o640 });
  const settings: SimulatorSettingsInput = {
    memoriesVersion: options.memoriesVersion === undefined ? "8.1.0" : options.memoriesVersion,
  };
  if (options.users) settings.users = options.users;
  writeFileSync(settingsPathOf(root), JSON.stringify(settings, null, 2) + "\n");
  for (const uid of options.users ?? [])
    mkdirSync(join(dataDir, uid, "files"), { recursive: true });

  if (options.ownerUid !== undefined) {
    const uid = options.ownerUid;
    for (const path of [
      configPathOf(root),
      settingsPathOf(root),
      dataDir,
      join(dataDir, ".ocdata"),
    ]) {
      chownSync(path, uid, uid);
    }
    for (const user of options.users ?? []) {
      chownSync(join(dataDir, user), uid, uid);
      chownSync(join(dataDir, user, "files"), uid, uid);
    }
  }
  return { root, occPath, dataDir };
}

/** The simulated oc_filecache: virtual path → entry. */
export function readFileCache(root: string): Record<string, FileCacheEntry> {
  const instance = loadInstance(root);
  return loadFileCache(instance.dataDir, instance.instanceId).entries;
}

/** The Memories index: indexed files (by file id) and files that failed. */
export function readMemoriesIndex(root: string): {
  entries: MemoriesEntry[];
  failures: (MemoriesFailure & { fileid: number })[];
} {
  const instance = loadInstance(root);
  const index = loadMemoriesIndex(instance.dataDir, instance.instanceId);
  return {
    entries: Object.values(index.entries).sort((a, b) => a.fileid - b.fileid),
    failures: Object.entries(index.failures).map(([id, f]) => ({ ...f, fileid: Number(id) })),
  };
}

/** Changes simulator.json (faults, users, Memories version, needsDbUpgrade); validated. */
export function updateSimulatorSettings(root: string, changes: SimulatorSettingsInput): void {
  const path = settingsPathOf(resolve(root));
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  const next = { ...current, ...changes };
  parseSimulatorSettings(next, path);
  writeFileAtomic(path, JSON.stringify(next, null, 2) + "\n");
}

/** What `occ maintenance:mode --on/--off` does, without running occ. */
export function setMaintenanceMode(root: string, on: boolean): void {
  setConfigValue(resolve(root), "maintenance", on);
}
