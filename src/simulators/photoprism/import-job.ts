/**
 * One import job: a main file and its related files moved (or copied) to
 * `<originals>/<dest>/YYYY/MM/<canonical>.<ext>` and indexed, with PhotoPrism's duplicate
 * checks and log lines (internal/photoprism/import_worker.go, DestinationFilename).
 */
import { dirname, join, relative } from "node:path";
import { canonicalName, dateFromFileName, takenAt, yearMonthFolder } from "./canonical-name.js";
import { extensionOf, formatOf, type MediaKind } from "./formats.js";
import { cleanLog, type SimLogger } from "./log-format.js";
import { moveFile, type SimFs } from "./sim-fs.js";
import { newUid, type SimFileEntity, type SimStore } from "./sim-store.js";

export interface ImportContext {
  readonly fs: SimFs;
  readonly store: SimStore;
  readonly logger: SimLogger;
  readonly originalsPath: string;
  readonly now: () => Date;
}

export interface ImportJob {
  /** The folder being imported (names in the log are relative to it). */
  readonly sourceRoot: string;
  readonly dir: string;
  readonly main: string;
  /** Names in `dir`, the main file among them. */
  readonly files: readonly string[];
  readonly destFolder: string;
  readonly move: boolean;
  readonly albums: readonly string[];
}

interface Placed {
  readonly name: string;
  readonly dest: string;
  readonly originalName: string;
  readonly sha1: string;
  readonly size: number;
  readonly restored: boolean;
}

type Destination = { path: string; problem: null; restored: boolean } | { problem: string };

export async function importJob(ctx: ImportContext, job: ImportJob): Promise<void> {
  const { fs, logger, originalsPath } = ctx;
  const mainPath = join(job.dir, job.main);
  const mainInfo = await fs.info(mainPath);
  if (mainInfo === null) {
    logger.log("warning", `import: ${cleanLog(relative(job.sourceRoot, mainPath))} not found`);
    return;
  }
  const mainSums = await fs.checksums(mainPath).catch(() => null);
  const taken = takenAt(
    await fs.exifTakenAt(mainPath),
    dateFromFileName(mainPath, ctx.now()),
    mainInfo.mtime,
  );
  const base = canonicalName(taken, mainSums?.crc32c ?? null);
  const folder = join(originalsPath, job.destFolder, yearMonthFolder(taken));
  let destMain = "";
  const placed: Placed[] = [];

  for (const name of job.files) {
    const path = join(job.dir, name);
    const rel = relative(job.sourceRoot, path);
    const format = formatOf(name);
    const info = await fs.info(path);
    const sums = await fs.checksums(path).catch(() => null);
    if (info === null || sums === null) {
      logger.log("warning", `import: ${cleanLog(rel)} not found`);
      continue;
    }
    const target = await destination(ctx, name, sums.sha1, folder, base);
    if (target.problem !== null) {
      logger.log("info", `import: ${target.problem}`);
      const known = ctx.store.fileByHash(sums.sha1);
      if (known !== undefined) ctx.store.addPhotoToAlbums(known.PhotoUID, job.albums);
      if (job.move) {
        try {
          await fs.remove(path);
          logger.log("info", `import: deleted ${cleanLog(rel)} (already exists)`);
        } catch (error) {
          logger.log("error", `import: failed to delete ${cleanLog(name)} (${message(error)})`);
        }
      }
      continue;
    }
    const destDir = dirname(target.path);
    if ((await fs.info(destDir)) === null) {
      try {
        await fs.mkdirAll(destDir);
        const folderRel = relative(originalsPath, destDir);
        if (ctx.store.addFolder("originals", folderRel)) {
          logger.log("info", `import: created folder /${folderRel}`);
        }
      } catch (error) {
        logger.log(
          "error",
          `import: failed to create folder for ${cleanLog(name)} (${message(error)})`,
        );
      }
    }
    const role = name === job.main ? "main" : "related";
    if (role === "main") destMain = target.path;
    const destRel = relative(originalsPath, target.path);
    logger.log(
      "info",
      `import: moving ${role} ${format.type} file ${cleanLog(rel)} to ${cleanLog(destRel)}`,
    );
    try {
      if (job.move) await moveFile(fs, path, target.path, info.mtime);
      else await fs.copy(path, target.path, info.mtime);
      placed.push({
        name,
        dest: target.path,
        originalName: rel,
        sha1: sums.sha1,
        size: info.size,
        restored: target.restored,
      });
    } catch (error) {
      const mainRel = cleanLog(destMain === "" ? "" : relative(originalsPath, destMain));
      logger.log("debug", `import: ${message(error)}`);
      logger.log(
        "warning",
        `import: failed ${job.move ? "moving" : "copying"} file to ${mainRel}, is another import running at the same time?`,
      );
    }
  }
  if (destMain !== "") indexPlaced(ctx, job, placed);
}

/** `Import.DestinationFilename`: a known SHA-1 wins, then the canonical name with `.00001`… */
async function destination(
  ctx: ImportContext,
  name: string,
  sha1: string,
  folder: string,
  base: string,
): Promise<Destination> {
  const ext = extensionOf(name);
  if (formatOf(name).kind !== "sidecar") {
    const known = ctx.store.fileByHash(sha1);
    if (known !== undefined) {
      const existing = join(ctx.originalsPath, known.Name);
      if ((await ctx.fs.info(existing))?.isFile === true) {
        return {
          problem: `${cleanLog(name)} is identical to ${cleanLog(known.Name)} (sha1 ${sha1})`,
        };
      }
      return { path: existing, problem: null, restored: true };
    }
  }
  for (let iteration = 0; ; iteration++) {
    const suffix = iteration === 0 ? "" : `.${String(iteration).padStart(5, "0")}`;
    const candidate = join(folder, `${base}${suffix}${ext}`);
    const info = await ctx.fs.info(candidate);
    if (info === null || !info.isFile) return { path: candidate, problem: null, restored: false };
    const other = await ctx.fs.checksums(candidate).catch(() => null);
    if (other?.sha1 === sha1) {
      return { problem: `${cleanLog(relative(ctx.originalsPath, candidate))} already exists` };
    }
  }
}

function indexPlaced(ctx: ImportContext, job: ImportJob, placed: readonly Placed[]): void {
  const now = ctx.now().toISOString();
  const main = placed.find((p) => p.name === job.main);
  if (main === undefined) return;
  const mainRel = relative(ctx.originalsPath, main.dest);
  const photoUid = ctx.store.fileByName(mainRel)?.PhotoUID ?? newUid("p");
  const ordered = [main, ...placed.filter((p) => p !== main)];
  for (const p of ordered) {
    const format = formatOf(p.name);
    const destRel = relative(ctx.originalsPath, p.dest);
    const entity: SimFileEntity = {
      UID: newUid("f"),
      PhotoUID: photoUid,
      Name: destRel,
      Root: "/",
      OriginalName: p.originalName,
      Hash: p.sha1,
      Size: p.size,
      FileType: format.type,
      MediaType: mediaType(format.kind),
      Primary: p === main,
      Sidecar: format.kind === "sidecar",
      Missing: false,
      Error: "",
      CreatedAt: now,
      UpdatedAt: now,
    };
    const added = ctx.store.saveFile(entity) && !p.restored;
    const role = p === main ? "main" : "related";
    ctx.logger.log(
      "info",
      `import: ${added ? "added" : "updated"} ${role} ${format.type} file ${cleanLog(destRel)}`,
    );
  }
  ctx.store.addPhotoToAlbums(photoUid, job.albums);
}

function mediaType(kind: MediaKind): string {
  switch (kind) {
    case "preview":
    case "image":
    case "heic":
      return "image";
    case "raw":
    case "video":
    case "vector":
    case "sidecar":
      return kind;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
