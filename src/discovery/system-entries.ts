// Nextcloud's own entries at the top of its data directory; none of them is a user.
// Sources: shared/reference/nextcloud.md §4 "Data directory layout" (its list of entries that
// are not users, and the names `Manager::verifyUid()` reserves), plus `files_encryption`, the
// system-wide key store of server-side encryption (lib/private/Encryption/Keys/Storage.php,
// `encryption_base_dir = '/files_encryption'`).

const exactNames: ReadonlySet<string> = new Set([
  "__groupfolders",
  "files_external",
  "files_encryption",
  "lost+found",
  "index.html",
]);

const prefixes: readonly string[] = ["appdata_", "updater-"];

// `nextcloud.log`, `owncloud.log`, `updater.log`, `audit.log`, `flow.log`, custom `logfile`
// names, and what log rotation leaves behind (`nextcloud.log.1`, logrotate's `….log.2.gz`).
const logFile = /\.log(\.\d+)?(\.gz)?$/;

/** True for entries of the data directory that Nextcloud itself owns, never a user's folder. */
export function isNextcloudSystemEntry(name: string): boolean {
  return (
    // Dot-entries: `.ocdata`/`.ncdata` markers, `.htaccess`, and `.`/`..` if a lister shows them.
    name.startsWith(".") ||
    exactNames.has(name) ||
    prefixes.some((prefix) => name.startsWith(prefix)) ||
    logFile.test(name)
  );
}

/** Marker files Nextcloud requires in the root of a valid data directory. */
export const dataDirMarkers: readonly string[] = [".ocdata", ".ncdata"];
