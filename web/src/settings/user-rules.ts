/**
 * The include/exclude edits behind the Users page's switch, mirroring how the server decides
 * (src/discovery/user-selection.ts): exclude wins; an entry equal to the id always names that
 * user; otherwise entries are globs (picomatch with dot, nonegate).
 */

export interface UserRules {
  include: string[];
  exclude: string[];
  autoIncludeNew: boolean;
}

/**
 * A glob as picomatch reads it for ids without `/`: `*` and `**` any run, `?` one character,
 * `[…]` / `[^…]` classes, `{a,b}` and `(a|b)` alternatives, `\` escapes. Extglobs such as
 * `+(a)` are not mirrored (the page checks the server's answer after a save).
 */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let braces = 0;
  let groups = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "\\" && i + 1 < glob.length) {
      out += escapeChar(glob[++i]!);
    } else if (char === "*") {
      while (glob[i + 1] === "*") i++;
      out += ".*";
    } else if (char === "?") {
      out += ".";
    } else if (char === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        continue;
      }
      // With `nonegate`, picomatch reads `[!a]` as "! or a" (only `[^a]` negates).
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith("^");
      if (negated) body = body.slice(1);
      out += `[${negated ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = end;
    } else if (char === "(" && glob.indexOf(")", i) !== -1) {
      // picomatch passes parentheses through as regex groups: `a(1)` matches "a1".
      groups++;
      out += "(?:";
    } else if (char === ")" && groups > 0) {
      groups--;
      out += ")";
    } else if (char === "|" && groups > 0) {
      out += "|";
    } else if (char === "{" && glob.indexOf("}", i) !== -1) {
      braces++;
      out += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (char === "," && braces > 0) {
      out += "|";
    } else {
      out += escapeChar(char);
    }
  }
  return new RegExp(`^${out}$`, "u");
}

function escapeChar(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

export function patternMatches(pattern: string, id: string): boolean {
  if (pattern === id) return true;
  try {
    return globToRegExp(pattern).test(id);
  } catch {
    return false;
  }
}

export interface ToggleResult {
  /** Changed lists only; empty when nothing needs to change. */
  edits: { path: string[]; value: string[] }[];
  /** Set when the switch cannot do it alone: a pattern, not the id, decides. */
  blockedBy?: string;
}

const includePath = ["nextcloud", "users", "include"];
const excludePath = ["nextcloud", "users", "exclude"];

/**
 * Off: the id goes into `exclude`. On: the id leaves `exclude`, and goes into `include` when
 * no include entry matches it, or when it is a new user held back by `autoIncludeNew: false`
 * (only an entry equal to the id lets such a user in). A glob in `exclude` that matches the id
 * is not rewritten behind the person's back: `blockedBy` names it instead.
 */
export function toggleUser(
  rules: UserRules,
  id: string,
  include: boolean,
  isNew: boolean,
): ToggleResult {
  if (!include) {
    if (rules.exclude.some((pattern) => patternMatches(pattern, id))) return { edits: [] };
    return { edits: [{ path: excludePath, value: [...rules.exclude, id] }] };
  }
  const edits: ToggleResult["edits"] = [];
  const exclude = rules.exclude.filter((pattern) => pattern !== id);
  const blocking = exclude.find((pattern) => patternMatches(pattern, id));
  if (blocking !== undefined) return { edits: [], blockedBy: blocking };
  if (exclude.length !== rules.exclude.length) edits.push({ path: excludePath, value: exclude });
  const named = rules.include.includes(id);
  const matched = rules.include.some((pattern) => patternMatches(pattern, id));
  const heldBack = isNew && !rules.autoIncludeNew;
  if (!named && (!matched || heldBack)) {
    edits.push({ path: includePath, value: [...rules.include, id] });
  }
  return { edits };
}

/** `nextcloud.users` from the config as the API sends it, with the schema's defaults. */
export function userRulesOf(config: Record<string, unknown>): UserRules {
  const nextcloud = (config.nextcloud ?? {}) as Record<string, unknown>;
  const users = (nextcloud.users ?? {}) as Record<string, unknown>;
  const strings = (value: unknown, fallback: string[]): string[] =>
    Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string")
      : fallback;
  return {
    include: strings(users.include, ["*"]),
    exclude: strings(users.exclude, []),
    autoIncludeNew: users.autoIncludeNew !== false,
  };
}
