import { errnoCode } from "../errno.js";
export { errnoCode } from "../errno.js";

/** The data directory itself cannot be listed; `message` names the path and the fix. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";

  constructor(
    /** The data directory as configured. */
    readonly path: string,
    /** The errno code, e.g. `ENOENT`, or `UNKNOWN`. */
    readonly code: string,
    readonly fix: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem} (${code}). Fix: ${fix}`, options);
  }
}

const dataDirProblems: Record<string, string> = {
  ENOENT: "it does not exist",
  ENOTDIR: "it is not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links on the way",
};

export const dataDirFix =
  "check `nextcloud.dataDir` and that photoferry can read it (Nextcloud's files are owned by uid 33)";

export function dataDirError(dataDir: string, error: unknown): DiscoveryError {
  const code = errnoCode(error);
  const why = dataDirProblems[code] ?? (error instanceof Error ? error.message : String(error));
  return new DiscoveryError(
    dataDir,
    code,
    dataDirFix,
    `Cannot list the Nextcloud data directory ${dataDir}: ${why}`,
    { cause: error },
  );
}
