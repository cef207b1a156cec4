import type { ResolvedOcc } from "../config/presets.js";
import type { CommandSpec } from "../runners/runner.js";
import { checkUserId, normalizeRelativePath, parseVirtualPath } from "./occ-paths.js";

/** What the builders need from the resolved config: how occ is started and as whom. */
export type OccInvocation = Pick<ResolvedOcc, "command" | "user">;

/** Memories ≥ 7.6.1 calls the scope option `--path`; older versions call it `--folder`. */
export type MemoriesFlavour = "path" | "folder";

/** Always last: occ must never wait for an answer, and parsers expect plain text. */
const automationFlags = ["--no-interaction", "--no-ansi"] as const;

function occCommand(
  occ: OccInvocation,
  subcommand: string,
  options: readonly string[],
): CommandSpec {
  if (occ.command.length === 0) {
    throw new Error(
      "nextcloud.occ.command is empty: give the occ program, e.g. [php, /var/www/html/occ]",
    );
  }
  return { argv: [...occ.command, subcommand, ...options, ...automationFlags], user: occ.user };
}

/** `occ status --output=json`: works in maintenance mode, so it is the pre-check. */
export function statusCommand(occ: OccInvocation): CommandSpec {
  return occCommand(occ, "status", ["--output=json"]);
}

/**
 * `occ files:scan --path=/<uid>/files/<rel>` for one virtual path. The whole path is one argv
 * element, so a user id or folder with spaces is never split.
 */
export function filesScanCommand(occ: OccInvocation, virtualPath: string): CommandSpec {
  const { userId, relativePath } = parseVirtualPath(virtualPath);
  const path = relativePath === "" ? `/${userId}/files` : `/${userId}/files/${relativePath}`;
  return occCommand(occ, "files:scan", [`--path=${path}`]);
}

/**
 * `occ memories:index --user=<uid> --path=<rel>` (or `--folder=` on old Memories). The path
 * is relative to the user's files; "" means all of them, sent as `/` because leaving the
 * option out would let Memories' index mode choose the scope instead.
 */
export function memoriesIndexCommand(
  occ: OccInvocation,
  flavour: MemoriesFlavour,
  userId: string,
  relativePath: string,
): CommandSpec {
  checkUserId(userId);
  const rel = normalizeRelativePath(relativePath);
  return occCommand(occ, "memories:index", [
    `--user=${userId}`,
    `--${flavour}=${rel === "" ? "/" : rel}`,
  ]);
}

/** `occ memories:index --help`: tells the option name apart, and whether Memories is there. */
export function memoriesHelpCommand(occ: OccInvocation): CommandSpec {
  return occCommand(occ, "memories:index", ["--help"]);
}

/** `occ user:list --output=json --limit=<n>` (default limit is 500, too low for big sites). */
export function userListCommand(occ: OccInvocation, limit: number): CommandSpec {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`user:list limit must be a whole number of at least 1, got ${limit}`);
  }
  return occCommand(occ, "user:list", ["--output=json", `--limit=${limit}`]);
}

const plainArgument = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The command as a person would type it, for logs only: arguments with spaces or shell
 * characters are single-quoted. Never run this string — runners take the argv array.
 */
export function describeCommand(spec: CommandSpec): string {
  const words = spec.argv.map(quoteForDisplay).join(" ");
  return spec.user === undefined ? words : `${words} (as user ${quoteForDisplay(spec.user)})`;
}

function quoteForDisplay(argument: string): string {
  if (plainArgument.test(argument)) return argument;
  // Quote only the value of `--name=value`, the way people write it.
  const option = /^(--?[A-Za-z][\w-]*=)(.*)$/s.exec(argument);
  if (option?.[1] && option[2] !== undefined && option[2] !== "") {
    return option[1] + singleQuote(option[2]);
  }
  return singleQuote(argument);
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f]/g;

function singleQuote(text: string): string {
  const escaped = text
    .replace(/'/g, `'\\''`)
    .replace(controlCharacter, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `'${escaped}'`;
}
