/**
 * `Import.Start` (internal/photoprism/import.go): walk the import folder in sorted order,
 * start one job per main file with its related files, then (move mode) delete empty
 * sub-folders and hidden files. Runs under the process's Activity lock; a cancel stops the
 * walk between files.
 */
import { join, relative } from "node:path";
import type { Activity } from "./activity.js";
import { formatOf, isHiddenName, isMainCandidate } from "./formats.js";
import { importJob, type ImportContext } from "./import-job.js";
import { cleanLog } from "./log-format.js";
import { relatedFiles } from "./related-files.js";

export interface ImportRunOptions {
  /** Absolute folder to import from (the import path or a folder below it). */
  readonly importPath: string;
  /** The configured import path, for folder entities (`import: added folder /…`). */
  readonly configImportPath: string;
  /** Sub-folder of originals (`--dest`, PHOTOPRISM_IMPORT_DEST), "" for none. */
  readonly destFolder: string;
  readonly move: boolean;
  readonly albums: readonly string[];
}

export interface ImportRunContext extends ImportContext {
  readonly activity: Activity;
  readonly disableRaw: boolean;
  /** Simulator-only: pause this long per file, so imports can be slow for timeout tests. */
  readonly delayPerFileMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

class Canceled extends Error {}

/** Returns the number of entries walked (PhotoPrism's `done` map; 0 when nothing ran). */
export async function runImport(ctx: ImportRunContext, opt: ImportRunOptions): Promise<number> {
  const { fs, logger, activity } = ctx;
  const root = opt.importPath;
  if ((await fs.info(root))?.isDirectory !== true) {
    logger.log("error", `import: directory ${root} not found`);
    return 0;
  }
  try {
    activity.start();
  } catch (error) {
    logger.log("error", `import: ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  }
  const done = new Map<string, "found" | "processed">();
  const directories: string[] = [];
  const hidden: string[] = [];
  const skip = async (path: string): Promise<boolean> => {
    const info = await fs.info(path);
    return info === null || info.size === 0 || (ctx.disableRaw && formatOf(path).kind === "raw");
  };

  const walk = async (dir: string): Promise<void> => {
    if (dir !== root) directories.push(dir);
    const folder = relative(opt.configImportPath, dir);
    if (!folder.startsWith("..") && ctx.store.addFolder("import", folder)) {
      logger.log("info", `import: added folder /${folder}`);
    }
    const names = (await fs.list(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.includes(".ppstorage")) return;
    const files: string[] = [];
    const entries: Array<{ name: string; isDirectory: boolean }> = [];
    for (const name of names) {
      const info = await fs.info(join(dir, name));
      if (info === null) continue;
      entries.push({ name, isDirectory: info.isDirectory });
      if (info.isFile && !isHiddenName(name)) files.push(name);
    }
    for (const { name, isDirectory } of entries) {
      if (activity.isCanceled) throw new Canceled("canceled");
      const path = join(dir, name);
      if (isDirectory) {
        if (!isHiddenName(name)) await walk(path);
        continue;
      }
      if (isHiddenName(name)) {
        hidden.push(path);
        continue;
      }
      if (done.has(path)) continue;
      done.set(path, "found");
      await startJob(dir, name, files, path);
    }
  };

  const startJob = async (dir: string, name: string, files: string[], path: string) => {
    if (!isMainCandidate(name)) return;
    const info = await fs.info(path);
    const rel = relative(root, path);
    if (info === null) return logger.log("warning", `import: ${cleanLog(rel)} not found`);
    if (info.size === 0) return logger.log("info", `media: ${cleanLog(rel)} is empty`);
    if (ctx.disableRaw && formatOf(name).kind === "raw") {
      return logger.log("info", `import: skipped raw ${cleanLog(rel)}`);
    }
    const skipped = new Set<string>();
    for (const f of files) if (await skip(join(dir, f))) skipped.add(f);
    const group = relatedFiles(name, files, (f) => skipped.has(f));
    if (group.main === null) {
      return logger.log(
        "error",
        `import: ${cleanLog(name)} is unsupported (${formatOf(name).kind})`,
      );
    }
    const members = group.files.filter((f) => done.get(join(dir, f)) !== "processed");
    for (const f of members) done.set(join(dir, f), "processed");
    done.set(path, "processed");
    if (ctx.delayPerFileMs > 0) await ctx.sleep(ctx.delayPerFileMs * members.length);
    await importJob(ctx, { ...opt, sourceRoot: root, dir, main: group.main, files: members });
  };

  let walkError: Error | null = null;
  try {
    await walk(root);
  } catch (error) {
    walkError = error instanceof Error ? error : new Error(String(error));
  }
  try {
    directories.sort((a, b) => b.length - a.length);
    if (opt.move) await cleanUp(ctx, root, directories, hidden);
    if (walkError !== null) logger.log("error", walkError.message);
  } finally {
    activity.stop();
  }
  if (walkError !== null && !(walkError instanceof Canceled)) throw walkError;
  return done.size;
}

async function cleanUp(
  ctx: ImportRunContext,
  root: string,
  directories: readonly string[],
  hidden: readonly string[],
): Promise<void> {
  for (const dir of directories) {
    if ((await ctx.fs.list(dir)).length > 0) continue;
    try {
      await ctx.fs.removeEmptyDir(dir);
      ctx.logger.log("info", `import: deleted empty folder ${cleanLog(relative(root, dir))}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.logger.log(
        "error",
        `import: failed deleting empty folder ${cleanLog(relative(root, dir))} (${reason})`,
      );
    }
  }
  for (const file of hidden) {
    if ((await ctx.fs.info(file))?.isFile !== true) continue;
    try {
      await ctx.fs.remove(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.logger.log(
        "error",
        `import: failed removing ${cleanLog(relative(root, file))} (${reason})`,
      );
    }
  }
}
