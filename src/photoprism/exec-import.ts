import { posix } from "node:path";
import type { CommandResult, CommandSpec } from "../runners/runner.js";
import { parseImportLog, type ImportLog, type ImportProblem } from "./import-log.js";

export { printedNameMatches } from "./printed-names.js";
export {
  parseImportLog,
  type ImportLog,
  type ImportPlacement,
  type ImportProblem,
  type ImportProblemKind,
} from "./import-log.js";

/**
 * `photoprism import <container import dir>/<batch>` as PhotoPrism's user (`trigger: exec`).
 * `import` always moves (there is no --move flag; `cp` would copy).
 */
export function importCommand(
  exec: { command: readonly string[]; user: string },
  containerImportDir: string,
  batchId: string,
): CommandSpec {
  // PhotoPrism skips folders whose names start like hidden files; a slash would leave the batch.
  if (!/^[^/\0]+$/.test(batchId) || /^(?:\.|@|_\.|__)/.test(batchId)) {
    throw new Error(`'${batchId}' is not a batch folder name PhotoPrism would import`);
  }
  if (!posix.isAbsolute(containerImportDir)) {
    throw new Error(
      `photoprism.containerImportDir must be an absolute path inside the PhotoPrism container, ` +
        `got '${containerImportDir}'`,
    );
  }
  if (exec.command.length === 0) throw new Error("photoprism.exec.command is empty");
  return {
    argv: [...exec.command, "import", posix.join(containerImportDir, batchId)],
    user: exec.user,
  };
}

/** The log, plus problems only the way the command ended can tell. */
export interface ExecImportReport extends ImportLog {
  exitCode: number | null;
}

/**
 * Reads a finished `photoprism import`. Its exit status is 0 even when it refused to work
 * (read-only, busy, folder missing: reference §1.3), so only a non-zero status adds a problem;
 * an exit 0 proves nothing. The caller still has to check the batch folder.
 */
export function readExecImport(result: CommandResult): ExecImportReport {
  // logrus writes to stderr; over SSH or with a TTY it may arrive on stdout instead.
  const log = parseImportLog(`${result.stderr}\n${result.stdout}`);
  const ending = endingProblem(result, log);
  return {
    ...log,
    problems: ending ? [...log.problems, ending] : log.problems,
    exitCode: result.exitCode,
  };
}

function endingProblem(result: CommandResult, log: ImportLog): ImportProblem | null {
  const problem = (message: string, hint: string, transient: boolean): ImportProblem => ({
    kind: "error",
    level: "error",
    file: null,
    message,
    hint,
    transient,
  });
  if (result.timedOut) {
    return problem(
      `photoprism import did not finish within ${Math.round(result.durationMs / 1000)} s and was stopped`,
      "raise the import time limit or let batches be smaller; what PhotoPrism has not taken stays in the batch folder",
      true,
    );
  }
  switch (result.exitCode) {
    case 0:
      return null;
    case null:
      return problem(
        "photoprism import was stopped before it ended",
        "photoferry will try again",
        true,
      );
    case 126:
      return problem(
        "the photoprism command could not be run (exit 126)",
        "check photoprism.exec.command and that photoprism.exec.user may run it",
        false,
      );
    case 127:
      return problem(
        "the photoprism command was not found (exit 127)",
        'check photoprism.exec.command (normally ["photoprism"]) and photoprism.exec.container',
        false,
      );
    case 137:
      return problem(
        "photoprism import was killed (exit 137), perhaps for lack of memory",
        "give the PhotoPrism container more memory or import smaller batches",
        true,
      );
    default: {
      // A fatal line already explains a non-zero status; don't report it twice.
      if (log.problems.some((p) => p.level === "fatal" || p.level === "panic")) return null;
      return problem(
        `photoprism import ended with exit status ${result.exitCode}`,
        "see the command's output in the run log",
        false,
      );
    }
  }
}
