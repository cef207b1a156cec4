import type { Disk } from "./disk.js";
import type { Instance } from "./instance.js";
import { join } from "node:path";

/** Data-directory entries Nextcloud reserves (User\Manager::verifyUid), never users. */
function isReserved(name: string, instanceId: string): boolean {
  return (
    name.startsWith(".") ||
    name.startsWith("appdata_") ||
    name.startsWith("updater-") ||
    name === `appdata_${instanceId}` ||
    ["files_external", "__groupfolders", "lost+found"].includes(name) ||
    name.endsWith(".log")
  );
}

/**
 * The simulated user backend: simulator.json's list when given, otherwise every data-dir
 * folder with a `files/` inside. Sorted case-insensitively, as the user manager's search is.
 */
export function listUsers(instance: Instance, disk: Disk): string[] {
  const users =
    instance.settings.users ??
    disk
      .list(instance.dataDir)
      .filter((name) => !isReserved(name, instance.instanceId))
      .filter((name) => disk.stat(join(instance.dataDir, name, "files"))?.dir === true);
  // strcasecmp: byte order after lower-casing, not a locale collation.
  const key = (uid: string): string => uid.toLowerCase();
  return [...new Set(users)].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function userExists(instance: Instance, disk: Disk, uid: string): boolean {
  return listUsers(instance, disk).includes(uid);
}

export function displayName(instance: Instance, uid: string): string {
  return instance.settings.displayNames[uid] ?? uid;
}
