import { execFileSync } from "node:child_process";

/**
 * Mounts a small tmpfs at `path` (an existing, empty directory), for disk-full and
 * cross-filesystem tests. Returns an unmount function, or null where mounting is not
 * allowed (not root, or a container without CAP_SYS_ADMIN): callers skip then.
 */
export function mountTmpfs(path: string, size: string): (() => void) | null {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path], {
      stdio: "ignore",
    });
  } catch {
    return null;
  }
  return () => execFileSync("umount", ["-l", path], { stdio: "ignore" });
}
