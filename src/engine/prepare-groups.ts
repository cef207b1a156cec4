import { posix } from "node:path";
import type { SourceFiles } from "../ledger/source-files.js";
import { groupFiles } from "../media/group-files.js";
import type { ExtensionTable } from "../media/media-types.js";
import { nameWarnings } from "../media/name-warnings.js";
import type { GroupToPlan, PlanFile } from "../plan/plan-groups.js";
import type { Candidate } from "./detect.js";
import type { PassDeps, PassReport } from "./ferry-pass.js";
import { exifKeyOf } from "./library-lookup.js";

/** Groups each directory's candidates so Live Photos, RAW+JPEG and sidecars travel together. */
export function groupCandidates(
  userId: string,
  candidates: readonly Candidate[],
  extensions: ExtensionTable,
): GroupToPlan[] {
  const byDir = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const dir = posix.dirname(candidate.file.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), candidate]);
  }
  const groups: GroupToPlan[] = [];
  for (const [dir, members] of byDir) {
    const byName = new Map(members.map((m) => [posix.basename(m.file.path), m]));
    const inputs = members.map((m) => ({
      name: posix.basename(m.file.path),
      size: m.file.size,
      mtimeMs: m.file.mtimeMs,
    }));
    for (const group of groupFiles(inputs, extensions)) {
      const files: PlanFile[] = group.members.map(({ name, role }) => {
        const candidate = byName.get(name)!;
        return {
          path: posix.join(dir, name),
          pathBelowFiles: candidate.pathBelowFiles,
          name,
          role,
          size: candidate.file.size,
          mtimeMs: candidate.file.mtimeMs,
          dev: candidate.file.dev,
          settled: candidate.settled,
          ...(candidate.readyAt !== undefined ? { readyAt: candidate.readyAt } : {}),
          sha256: candidate.file.sha256,
          sha1: candidate.file.sha1,
          warnings: nameWarnings(name),
        };
      });
      groups.push({ userId, key: `${dir}/${group.primary}`, kind: group.kind, files });
    }
  }
  return groups;
}

/** Hashes every file of a settled group that has no hash yet; a file that fails waits. */
export async function hashSettled(
  groups: GroupToPlan[],
  deps: PassDeps,
  sha1: boolean,
  sourceFiles: SourceFiles,
  record: boolean,
  report: PassReport,
): Promise<void> {
  const jobs = groups
    .filter((group) => group.files.every((file) => file.settled))
    .flatMap((group) =>
      group.files
        .filter((file) => !file.sha256 || (sha1 && !file.sha1))
        .map((file) => ({ group, file })),
    );
  await Promise.all(
    jobs.map(async ({ group, file }) => {
      try {
        const hashes = await deps.hasher(file.path, { sha1 });
        file.sha256 = hashes.sha256;
        file.sha1 = hashes.sha1 ?? null;
        const row = sourceFiles.get(file.path);
        if (record && row) sourceFiles.put({ ...row, sha256: file.sha256, sha1: file.sha1 });
      } catch (error) {
        unreadable(group, file, error, deps, report);
      }
    }),
  );
}

/** Reads the EXIF signature of every photo and RAW in a settled group, for the `exif` rule. */
export async function readExifKeys(
  groups: GroupToPlan[],
  extensions: ExtensionTable,
  deps: PassDeps,
  report: PassReport,
): Promise<void> {
  for (const group of groups) {
    if (!group.files.every((file) => file.settled)) continue;
    for (const file of group.files) {
      try {
        file.exifKey = await exifKeyOf(file.path, extensions);
      } catch (error) {
        unreadable(group, file, error, deps, report);
      }
    }
  }
}

/** Changed while being read, vanished, unreadable: the group is not settled after all. */
function unreadable(
  group: GroupToPlan,
  file: PlanFile,
  error: unknown,
  deps: PassDeps,
  report: PassReport,
): void {
  for (const member of group.files) member.settled = false;
  deps.logger.warn(
    { path: file.path, err: error },
    "could not read a file; it will be tried again",
  );
  report.errors.push(`${file.path}: ${(error as Error).message}`);
}
