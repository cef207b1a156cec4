/**
 * `photoprism index [subfolder]`, simplified: walks originals (or a sub-folder), adds files it
 * does not know yet and re-indexes changed ones (same grouping as import), then marks entries
 * whose file is gone as missing (the purge the CLI always runs afterwards).
 */
import { join, relative } from "node:path";
import type { Activity } from "./activity.js";
import { formatOf, isHiddenName, isMainCandidate } from "./formats.js";
import { cleanLog, goDuration, type SimLogger } from "./log-format.js";
import { relatedFiles } from "./related-files.js";
import type { SimFs } from "./sim-fs.js";
import { newUid, type SimStore } from "./sim-store.js";

export interface IndexContext {
  readonly fs: SimFs;
  readonly store: SimStore;
  readonly logger: SimLogger;
  readonly originalsPath: string;
  readonly activity: Activity;
  readonly now: () => Date;
  readonly hrtime: () => bigint;
}

export interface IndexSummary {
  readonly found: number;
  readonly updated: number;
}

export async function runIndex(ctx: IndexContext, subPath: string): Promise<IndexSummary | null> {
  const { fs, logger, store } = ctx;
  const root = join(ctx.originalsPath, subPath);
  try {
    ctx.activity.start();
  } catch (error) {
    logger.log("error", `index: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  try {
    const started = ctx.hrtime();
    let found = 0;
    let updated = 0;
    const done = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      const names = (await fs.list(dir)).filter((n) => !isHiddenName(n)).sort();
      const files: string[] = [];
      for (const name of names) {
        const info = await fs.info(join(dir, name));
        if (info?.isDirectory === true) await walk(join(dir, name));
        else if (info?.isFile === true) files.push(name);
      }
      for (const name of files) {
        found++;
        if (done.has(join(dir, name)) || !isMainCandidate(name)) continue;
        const group = relatedFiles(name, files);
        if (group.main === null) continue;
        const mainRel = relative(ctx.originalsPath, join(dir, group.main));
        const photoUid = store.fileByName(mainRel)?.PhotoUID ?? newUid("p");
        for (const member of [group.main, ...group.files.filter((f) => f !== group.main)]) {
          const path = join(dir, member);
          done.add(path);
          const info = await fs.info(path);
          if (info === null || info.size === 0) continue;
          const sums = await fs.checksums(path);
          const rel = relative(ctx.originalsPath, path);
          const known = store.fileByName(rel);
          if (known !== undefined && known.Hash === sums.sha1 && !known.Missing) continue;
          const format = formatOf(member);
          const now = ctx.now().toISOString();
          store.saveFile({
            UID: known?.UID ?? newUid("f"),
            PhotoUID: known?.PhotoUID ?? photoUid,
            Name: rel,
            Root: "/",
            OriginalName: known?.OriginalName ?? "",
            Hash: sums.sha1,
            Size: info.size,
            FileType: format.type,
            MediaType: format.kind === "preview" || format.kind === "heic" ? "image" : format.kind,
            Primary: member === group.main,
            Sidecar: format.kind === "sidecar",
            Missing: false,
            Error: "",
            CreatedAt: known?.CreatedAt ?? now,
            UpdatedAt: now,
          });
          updated++;
          const role = member === group.main ? "main" : "related";
          const result = known === undefined ? "added" : "updated";
          logger.log("info", `index: ${result} ${role} ${format.type} file ${cleanLog(rel)}`);
        }
      }
    };
    if ((await fs.info(root))?.isDirectory === true) await walk(root);
    const took = goDuration(ctx.hrtime() - started);
    if (updated > 0) logger.log("info", `index: updated ${plural(updated, "file")} [${took}]`);
    else logger.log("info", "index: found no new or modified files");
    await purge(ctx, subPath);
    return { found, updated };
  } finally {
    ctx.activity.stop();
  }
}

async function purge(ctx: IndexContext, subPath: string): Promise<void> {
  const started = ctx.hrtime();
  const prefix = subPath === "" ? "" : `${subPath}/`;
  const candidates = ctx.store.read().files.filter((f) => !f.Missing && f.Name.startsWith(prefix));
  const gone = new Set<string>();
  for (const f of candidates) {
    if ((await ctx.fs.info(join(ctx.originalsPath, f.Name)))?.isFile !== true) gone.add(f.Name);
  }
  const photos = ctx.store.update((db) => {
    for (const f of db.files) if (gone.has(f.Name)) f.Missing = true;
    const affected = new Set(db.files.filter((f) => gone.has(f.Name)).map((f) => f.PhotoUID));
    return [...affected].filter((uid) => db.files.every((f) => f.PhotoUID !== uid || f.Missing))
      .length;
  });
  const took = goDuration(ctx.hrtime() - started);
  ctx.logger.log(
    "info",
    `purge: removed ${plural(gone.size, "file")} and ${plural(photos, "photo")} [${took}]`,
  );
}

export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}
