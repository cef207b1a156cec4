import type { PhotoferryConfig } from "../config/resolve-config.js";

/**
 * Per-source-folder schedules (`schedule.folders`): a folder listed there follows its own
 * cron and is left out of the global cron's passes. Manual and watch runs cover every folder.
 * Pure decisions; the timers live in TriggerSources.
 */

/** What the global cron covers: `null` for every folder (no overrides), else the rest. */
export function globalPassFolders(config: PhotoferryConfig): string[] | null {
  const overridden = new Set(config.schedule.folders.map((entry) => entry.folder));
  if (overridden.size === 0) return null;
  return config.nextcloud.sourceFolders.filter((folder) => !overridden.has(folder));
}

/** The run's `reason`, saying which folders a scheduled run covers. */
export function scheduleReason(expression: string, folders: string[] | null): string {
  return folders === null
    ? `schedule ${expression}`
    : `schedule ${expression} for ${folders.join(", ")}`;
}

/**
 * The config a run limited to `folders` hands to the pass: the same, with only those source
 * folders. Undefined when none of them is a source folder any more (the config changed while
 * the run waited), so there is nothing to run.
 */
export function limitToFolders(
  config: PhotoferryConfig,
  folders: string[] | null,
): PhotoferryConfig | undefined {
  if (folders === null) return config;
  const sourceFolders = config.nextcloud.sourceFolders.filter((folder) => folders.includes(folder));
  if (sourceFolders.length === 0) return undefined;
  return { ...config, nextcloud: { ...config.nextcloud, sourceFolders } };
}
