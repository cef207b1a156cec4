import { errorCode } from "../errno.js";
export { errorCode } from "../errno.js";

/** A file could not be ferried this time; its source was left as it was. */
export class TransferSkip extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "TransferSkip";
  }
}

export class NotEnoughSpaceError extends Error {
  constructor(
    readonly path: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
  ) {
    super(
      `not enough free space in ${path}: this batch needs ${mib(neededBytes)} MiB (with a margin), ` +
        `${mib(freeBytes)} MiB are free — free some space or let PhotoPrism import what is waiting`,
    );
    this.name = "NotEnoughSpaceError";
  }
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** Turns a file-system error into a sentence a person can act on. */
export function explainFsError(error: unknown, path: string): string {
  switch (errorCode(error)) {
    case "ENOSPC":
      return `the disk is full while writing ${path}`;
    case "EACCES":
    case "EPERM":
      return `permission denied on ${path}: photoferry's user may not change it (see docs on file ownership)`;
    case "ENOENT":
      return `${path} vanished`;
    case "EXDEV":
      return `${path} is on another filesystem`;
    case "ENAMETOOLONG":
      return `the name ${path} is too long for this filesystem`;
    case "EROFS":
      return `${path} is on a read-only filesystem`;
    default:
      return `${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Runs a file-system step; a refusal by the file system becomes a per-file `TransferSkip`. */
export async function skipOnRefusal(step: () => Promise<void>, path: string): Promise<void> {
  try {
    await step();
  } catch (error) {
    // Only errno errors are refusals; anything else is a bug or a crash and must propagate.
    if (!errorCode(error)) throw error;
    throw new TransferSkip(explainFsError(error, path), true);
  }
}
