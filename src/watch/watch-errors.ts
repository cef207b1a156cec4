import { errorCode } from "../errno.js";
export { errorCode } from "../errno.js";
import { resolve, sep } from "node:path";

export function errorPath(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "path" in error) {
    return typeof error.path === "string" ? error.path : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isInside(path: string, directory: string): boolean {
  const prefix = directory.endsWith(sep) ? directory : directory + sep;
  return path.startsWith(prefix);
}

export const FALLBACK =
  "New photos are still found by the periodic scan (`schedule.reconcileMinutes`).";

export type Verdict = { degrade: true; reason: string } | { degrade: false; note: string };

/** Which errors stop all watching (resources exhausted, a root unreadable) and which only warn. */
export function judgeError(
  error: unknown,
  roots: readonly string[],
  fallbackPath: string,
): Verdict {
  const code = errorCode(error);
  const where = errorPath(error) ?? fallbackPath;
  const head = `Stopped watching the source folders for new files: `;
  switch (code) {
    case "ENOSPC":
      return {
        degrade: true,
        reason:
          head +
          `Linux ran out of inotify watches (the per-user limit \`fs.inotify.max_user_watches\`) ` +
          `while watching ${where}. ${FALLBACK} To fix it, raise the limit on the host (the Docker ` +
          `host, not the container), e.g. \`sysctl -w fs.inotify.max_user_watches=524288\` and ` +
          `the same line in /etc/sysctl.d/ to keep it, then restart photoferry; or set ` +
          `\`schedule.watch: false\` to rely on the scans alone.`,
      };
    case "EMFILE":
    case "ENFILE":
      return {
        degrade: true,
        reason:
          head +
          `too many open files (${code}) while watching ${where}. ${FALLBACK} To fix it, raise ` +
          `the open-files limit (Docker: \`--ulimit nofile=65536:65536\`; otherwise \`ulimit -n\`) ` +
          `or the inotify instance limit \`fs.inotify.max_user_instances\`, then restart ` +
          `photoferry; or set \`schedule.watch: false\` to rely on the scans alone.`,
      };
    case "EACCES":
    case "EPERM": {
      const path = errorPath(error);
      const onRoot =
        path === undefined ||
        roots.some((root) => root === resolve(path) || isInside(root, resolve(path)));
      if (!onRoot) {
        return { degrade: false, note: `cannot watch ${path} (permission denied); skipped` };
      }
      return {
        degrade: true,
        reason:
          head +
          `permission denied on ${where}. ${FALLBACK} To fix it, give photoferry's user read and ` +
          `execute permission on that folder (for example run photoferry with the web server's ` +
          `group), then restart photoferry; or set \`schedule.watch: false\`.`,
      };
    }
    default:
      return { degrade: false, note: `watch error on ${where}: ${errorMessage(error)}` };
  }
}
