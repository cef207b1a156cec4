import { dirname, join } from "node:path";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import {
  listNextcloudUsers,
  nodeUserDirectoryFs,
  type UserDirectoryFs,
  type UserListing,
} from "../discovery/user-directory.js";
import { selectUsers } from "../discovery/user-selection.js";
import { fail, skip, type CheckResult } from "./check-result.js";
import {
  judgeDataDirMarker,
  judgeSourceFolders,
  judgeUserFilesWritable,
  judgeUsers,
  type SourceFolderState,
  type UserFilesWrite,
} from "./data-dir-checks.js";
import {
  judgeFolder,
  judgeFreeSpace,
  judgeImportOwnership,
  judgeSameFileSystem,
  judgeStateDir,
  type FolderRole,
  type RunningAs,
} from "./folder-checks.js";
import { inspectFolder, type DoctorFs, type FolderFacts } from "./folder-probe.js";

export interface FolderDoctorDeps {
  fs: DoctorFs;
  discoveryFs?: UserDirectoryFs;
  who: RunningAs;
}

export interface FolderReport {
  results: CheckResult[];
  /** Users found in the data dir that `nextcloud.users` includes (for occ's user check). */
  includedUsers: string[];
}

/** The folders photoferry reads and writes: data dir and users, import, originals, state. */
export async function checkFolders(
  config: PhotoferryConfig,
  deps: FolderDoctorDeps,
): Promise<FolderReport> {
  const { nextcloud, photoprism } = config;
  const roles = folderRoles(config);
  const results: CheckResult[] = [];
  const dataFacts = await inspectFolder(nextcloud.dataDir, deps.fs);
  const dataResult = judgeFolder(roles.data, dataFacts, deps.who);
  results.push(dataResult);
  let includedUsers: string[] = [];
  if (dataResult.status === "ok") {
    const users = await checkUsers(config, deps);
    results.push(...users.results);
    includedUsers = users.includedUsers;
  } else {
    results.push(skip("nextcloud", "users", "the data dir could not be read"));
  }

  const importFacts = await inspectFolder(photoprism.importDir, deps.fs, {
    write: true,
    space: true,
  });
  const importResult = judgeFolder(roles.import, importFacts, deps.who);
  results.push(importResult);
  if (importResult.status === "ok") {
    results.push(judgeImportOwnership(photoprism.files, deps.who));
    results.push(judgeFreeSpace(roles.import, importFacts));
    results.push(judgeSameFileSystem(importFacts, dataFacts, nextcloud.afterMove));
  }
  if (photoprism.originalsDir) {
    const facts = await inspectFolder(photoprism.originalsDir, deps.fs);
    results.push(judgeFolder(roles.originals, facts, deps.who));
  }
  const stateFacts = await inspectFolder(config.state.dir, deps.fs, { write: true });
  const parent =
    stateFacts.statError === "ENOENT"
      ? await nearestExistingParent(config.state.dir, deps.fs)
      : undefined;
  results.push(judgeStateDir(roles.state, stateFacts, parent, deps.who));
  return { results, includedUsers };
}

async function checkUsers(config: PhotoferryConfig, deps: FolderDoctorDeps): Promise<FolderReport> {
  const { nextcloud } = config;
  let listing: UserListing;
  try {
    listing = await listNextcloudUsers(nextcloud.dataDir, deps.discoveryFs ?? nodeUserDirectoryFs);
  } catch (error) {
    return { results: [fail("nextcloud", "users", (error as Error).message)], includedUsers: [] };
  }
  // As on a first discovery: doctor does not open the state database, so nobody counts as new.
  const selection = selectUsers(
    listing.users.map((user) => user.id),
    nextcloud.users,
    new Set(),
    false,
  );
  const included = listing.users.filter((user) =>
    selection.some((chosen) => chosen.id === user.id && chosen.included),
  );
  const sources: SourceFolderState[] = [];
  const writes: UserFilesWrite[] = [];
  for (const user of included) {
    for (const folder of nextcloud.sourceFolders) {
      const facts = await inspectFolder(join(user.filesDir, folder), deps.fs);
      sources.push({ user: user.id, folder, problem: problemOf(facts) });
    }
    if (nextcloud.afterMove !== "keep") {
      const facts = await inspectFolder(user.filesDir, deps.fs, { write: true });
      writes.push({ user: user.id, writeError: problemOf(facts) ?? facts.writeError ?? null });
    }
  }
  const results = [
    judgeDataDirMarker(nextcloud.dataDir, listing),
    judgeUsers(nextcloud.dataDir, listing, selection),
    judgeSourceFolders(sources),
    judgeUserFilesWritable(nextcloud.afterMove, writes, nextcloud.occ.user),
  ];
  return { results, includedUsers: included.map((user) => user.id) };
}

function problemOf(facts: FolderFacts): string | null {
  return facts.statError ?? (facts.notFolder ? "ENOTDIR" : facts.readError);
}

async function nearestExistingParent(path: string, fs: DoctorFs): Promise<FolderFacts> {
  let current = dirname(path);
  for (;;) {
    const facts = await inspectFolder(current, fs, { write: true });
    if (facts.statError !== "ENOENT" || dirname(current) === current) return facts;
    current = dirname(current);
  }
}

function folderRoles(config: PhotoferryConfig): Record<string, FolderRole> & {
  data: FolderRole;
  import: FolderRole;
  originals: FolderRole;
  state: FolderRole;
} {
  const occUser = config.nextcloud.occ.user;
  const { uid, gid } = config.photoprism.files;
  return {
    data: {
      area: "nextcloud",
      name: "data dir",
      configKey: "nextcloud.dataDir",
      accessHint: `Nextcloud's files belong to its web server user (occ runs as ${occUser}); run photoferry as that user or give it read access`,
    },
    import: {
      area: "photoprism",
      name: "import dir",
      configKey: "photoprism.importDir",
      accessHint: `give it write access to the import folder (photoferry hands files over as ${uid}:${gid}, photoprism.files), or run it as the folder's owner`,
    },
    originals: {
      area: "photoprism",
      name: "originals dir",
      configKey: "photoprism.originalsDir",
      accessHint:
        "give it read access (photoferry only reads there), or unset photoprism.originalsDir",
    },
    state: {
      area: "state",
      name: "state dir",
      configKey: "state.dir",
      accessHint: "give it write access to the state folder (it keeps its database there)",
    },
  };
}
