import picomatch from "picomatch";

/** `nextcloud.users` from the config. */
export interface UserRules {
  include: readonly string[];
  exclude: readonly string[];
  autoIncludeNew: boolean;
}

export interface SelectedUser {
  id: string;
  included: boolean;
  /** Plain words for the UI, naming the pattern that decided. */
  reason: string;
  /** Not in `known`; always false on the very first discovery. */
  isNew: boolean;
}

/** One entry per user, in the order given. */
export type UserSelection = SelectedUser[];

export const heldBackReason = "new user, not yet included (autoIncludeNew is off)";

// Ids hold no `/`, so path semantics never matter. `nonegate`: a leading `!` is taken literally;
// "everyone but" is what `exclude` is for, and a negated include would silently match nearly
// everybody. `windows: false` keeps `\` an escape character on every platform.
const globOptions: picomatch.PicomatchOptions = { dot: true, nonegate: true, windows: false };

interface Pattern {
  text: string;
  matches: (id: string) => boolean;
}

function compile(patterns: readonly string[]): Pattern[] {
  return patterns.map((text) => {
    const glob = picomatch(text, globOptions);
    // Exact equality first: an id such as `a(1)` or `a[1]` is a different glob (`a(1)` matches
    // "a1"), and written literally it must still name that user.
    return { text, matches: (id) => id === text || glob(id) };
  });
}

/**
 * Decides, per user, whether it is synced. Exclude wins over include. With `autoIncludeNew`
 * off, a user not in `known` is held back unless an include entry is exactly its id.
 *
 * An empty `known` means this is the very first discovery: nobody is new then. The switch is
 * about users created after photoferry was set up; treating everyone present at setup as new
 * would hold back the whole family on a default `include: ["*"]`.
 */
export function selectUsers(
  users: readonly string[],
  rules: UserRules,
  known: ReadonlySet<string>,
  /** Whether a discovery ever ran; defaults to "`known` is not empty". */
  discoveredBefore: boolean = known.size > 0,
): UserSelection {
  const include = compile(rules.include);
  const exclude = compile(rules.exclude);
  // A first discovery that found nobody still makes everyone after it new.
  const firstRun = !discoveredBefore;
  return users.map((id) => {
    const isNew = !firstRun && !known.has(id);
    const decide = (included: boolean, reason: string): SelectedUser => ({
      id,
      included,
      reason,
      isNew,
    });
    const excludedBy = exclude.find((pattern) => pattern.matches(id));
    if (excludedBy) return decide(false, `excluded by pattern '${excludedBy.text}'`);
    const namedBy = include.find((pattern) => pattern.text === id);
    if (namedBy) return decide(true, `included by pattern '${namedBy.text}'`);
    const matchedBy = include.find((pattern) => pattern.matches(id));
    if (!matchedBy) return decide(false, "not matched by any include pattern");
    if (isNew && !rules.autoIncludeNew) return decide(false, heldBackReason);
    return decide(true, `included by pattern '${matchedBy.text}'`);
  });
}

/**
 * The ids to remember as known after this selection. A held-back or excluded new user stays
 * new, so it is not let in on a later run just because it was seen once.
 */
export function knownAfter(selection: UserSelection): string[] {
  return selection.filter((user) => !user.isNew || user.included).map((user) => user.id);
}
