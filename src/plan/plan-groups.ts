import type { GroupKind, MemberRole } from "../media/group-files.js";
import type { NameWarning } from "../media/name-warnings.js";

/** A file of a group, as detected, settled (or not) and hashed. */
export interface PlanFile {
  path: string;
  /** Below `<dataDir>/<user>/files`, '/'-separated. */
  pathBelowFiles: string;
  name: string;
  role: MemberRole;
  size: number;
  mtimeMs: number;
  dev: string;
  settled: boolean;
  /** When a file that is not settled will be, if it stays unchanged. */
  readyAt?: number;
  sha256: string | null;
  sha1: string | null;
  /** Capture time, camera and dimensions, when the `exif` rule is on and the file has them. */
  exifKey?: string | null;
  warnings: readonly NameWarning[];
}

export interface GroupToPlan {
  userId: string;
  key: string;
  kind: GroupKind;
  files: PlanFile[];
}

export interface DuplicateMatch {
  rule: "hash" | "name-size" | "exif" | "photoprism";
  /** Where the same content already is, in words or as a path. */
  where: string;
}

export interface PlanContext {
  /** Looks content up in the ledger, the import folder, the originals and PhotoPrism. */
  findDuplicate(file: PlanFile): DuplicateMatch | null;
  /** Sources that an unfinished batch still owns. */
  inFlight: ReadonlySet<string>;
}

export type GroupDecision =
  | { action: "transfer"; reason: string }
  | { action: "duplicate"; reason: string; match: DuplicateMatch }
  | { action: "wait"; reason: string; readyAt?: number }
  | { action: "quarantine"; reason: string }
  | { action: "skip"; reason: string };

export interface PlannedGroupDecision {
  group: GroupToPlan;
  decision: GroupDecision;
}

const isMedia = (file: PlanFile): boolean => file.role !== "sidecar";

/**
 * Decides what happens to each group. Pure: every look-up has been done before, so the same
 * input always gives the same plan, which is what `--dry-run` prints.
 */
export function planGroups(
  groups: readonly GroupToPlan[],
  context: PlanContext,
): PlannedGroupDecision[] {
  // Content planned for transfer earlier in this pass: the same photo from two users goes once.
  const planned = new Map<string, string>();
  return groups.map((group) => {
    const decision = decide(group, context, planned);
    if (decision.action === "transfer") {
      for (const file of group.files) {
        if (file.sha256) planned.set(file.sha256, file.path);
        if (file.exifKey) planned.set(file.exifKey, file.path);
      }
    }
    return { group, decision };
  });
}

function decide(
  group: GroupToPlan,
  context: PlanContext,
  planned: Map<string, string>,
): GroupDecision {
  const owned = group.files.find((file) => context.inFlight.has(file.path));
  if (owned)
    return {
      action: "skip",
      reason: "an interrupted transfer still owns it; recovery finishes that first",
    };
  if (group.kind === "orphan-sidecar") {
    return { action: "skip", reason: "a sidecar with no photo beside it; left in place" };
  }
  // Settling first: a file still being written must not be moved, not even to quarantine.
  const unsettled = group.files.filter((file) => !file.settled);
  if (unsettled.length > 0) {
    const readyAt = Math.max(...unsettled.map((file) => file.readyAt ?? 0));
    return {
      action: "wait",
      reason: "still being uploaded or changed; waiting for it to settle",
      readyAt,
    };
  }
  for (const file of group.files) {
    const blocking = file.warnings.find((warning) => warning.severity === "block");
    if (blocking) return { action: "quarantine", reason: `${file.name}: ${blocking.text}` };
  }
  const media = group.files.filter(isMedia);
  for (const file of group.files) {
    if (!file.sha256) throw new Error(`${file.path} was not hashed before planning`);
  }
  // The same photo planned earlier in this pass: judge this copy on the next pass, against the
  // ledger, once the first copy has safely arrived (or failed and left its original in place).
  for (const file of media) {
    const earlier =
      planned.get(file.sha256!) ?? (file.exifKey ? planned.get(file.exifKey) : undefined);
    if (earlier)
      return {
        action: "wait",
        reason: `the same photo is being ferried from ${earlier}; checked again next pass`,
      };
  }
  const matches = media.map((file) => context.findDuplicate(file));
  if (media.length > 0 && matches.every((match) => match !== null)) {
    // Sidecars hold the person's edits: only exactly the same content counts as known.
    const newSidecar = group.files.find(
      (file) => !isMedia(file) && context.findDuplicate(file)?.rule !== "hash",
    );
    if (newSidecar) {
      return {
        action: "skip",
        reason: `the photo is already in the library but ${newSidecar.name} is new; left in place`,
      };
    }
    const match = matches[0]!;
    return { action: "duplicate", reason: describeMatch(match), match };
  }
  return {
    action: "transfer",
    reason: media.length === group.files.length ? "new" : "new, with its sidecars",
  };
}

function describeMatch(match: DuplicateMatch): string {
  switch (match.rule) {
    case "hash":
      return `same content is already in the library: ${match.where}`;
    case "name-size":
      return `a file with the same name and size is already in the library: ${match.where}`;
    case "exif":
      return `a photo with the same capture time, camera and size is already in the library: ${match.where}`;
    case "photoprism":
      return `PhotoPrism already has this file: ${match.where}`;
  }
}

/** Per file, for `--dry-run`: what happens to it and why. */
export function fileActions(
  decisions: readonly PlannedGroupDecision[],
): { path: string; userId: string; action: GroupDecision["action"]; reason: string }[] {
  return decisions.flatMap(({ group, decision }) =>
    group.files.map((file) => ({
      path: file.path,
      userId: group.userId,
      action: decision.action,
      reason: decision.reason,
    })),
  );
}
