export type StateStoreErrorReason =
  "unwritable" | "corrupt" | "locked" | "schema-too-new" | "migration-failed" | "wal-unavailable";

/** The state store cannot be used; `message` says what, where, and how to fix it. */
export class StateStoreError extends Error {
  override readonly name = "StateStoreError";

  constructor(
    readonly reason: StateStoreErrorReason,
    /** The folder or database file concerned. */
    readonly path: string,
    /** The underlying errno / SQLite code, e.g. `ENOTDIR` or `SQLITE_NOTADB`. */
    readonly code: string,
    problem: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem} (${code}). Fix: ${fix}`, options);
  }
}

interface CodedError {
  code: string;
  message: string;
}

export function isCodedError(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).code === "string";
}

function chownFix(dir: string): string {
  const owner =
    process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : "<user>:<group>";
  return `set \`state.dir\` to a writable folder, or fix ownership: chown -R ${owner} ${shellQuote(dir)}`;
}

// User ids (and so folder names) may contain spaces and quotes; the fix must paste as-is.
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const plainErrno: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOTDIR: "part of the path is a file, not a folder",
  EEXIST: "a file with that name is in the way",
  ENOSPC: "the disk is full",
  ENOENT: "a folder on the way does not exist",
};

/** For errors from creating or checking the state folder itself. */
export function stateDirError(dir: string, error: unknown): StateStoreError {
  const code = isCodedError(error) ? error.code : "UNKNOWN";
  const why = plainErrno[code] ?? (error instanceof Error ? error.message : String(error));
  let fix: string;
  switch (code) {
    case "ENOTDIR":
    case "EEXIST":
      fix = "set `state.dir` to a folder path; a file of that name (or on the way) is in the way";
      break;
    case "EROFS":
      fix = "set `state.dir` to a folder on a writable volume (check the mount is not read-only)";
      break;
    case "ENOSPC":
      fix = `free some disk space on the volume holding ${dir}`;
      break;
    default:
      fix = chownFix(dir);
  }
  return new StateStoreError(
    "unwritable",
    dir,
    code,
    `Cannot use the state folder ${dir}: ${why}`,
    fix,
    { cause: error },
  );
}

/** For errors SQLite raises while opening or preparing the database file; undefined if not one. */
export function databaseError(
  dbPath: string,
  dir: string,
  error: unknown,
): StateStoreError | undefined {
  if (!isCodedError(error)) return undefined;
  const { code } = error;
  const where = `The state database ${dbPath}`;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new StateStoreError(
      "corrupt",
      dbPath,
      code,
      `${where} is not a SQLite database or is damaged: ${error.message}`,
      `restore it from a backup, or move it (with any -wal/-shm file beside it) aside so photoferry starts with an empty state`,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StateStoreError(
      "locked",
      dbPath,
      code,
      `${where} is locked by another process: ${error.message}`,
      "stop the other photoferry process that uses this `state.dir`, or give each its own",
      { cause: error },
    );
  }
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return new StateStoreError(
      "unwritable",
      dbPath,
      code,
      `${where} cannot grow: ${error.message}`,
      `free some disk space on the volume holding ${dir}`,
      { cause: error },
    );
  }
  return new StateStoreError(
    "unwritable",
    dbPath,
    code,
    `${where} cannot be opened for writing: ${plainErrno[code] ?? error.message}`,
    chownFix(dir),
    { cause: error },
  );
}
