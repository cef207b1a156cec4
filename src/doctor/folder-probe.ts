import { randomBytes } from "node:crypto";
import { readdir, stat, statfs, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode } from "../errno.js";

/** The file-system questions doctor asks; tests substitute their own answers. */
export interface DoctorFs {
  /** Follows symlinks: a mounted folder may well be reached through one. */
  stat(path: string): Promise<{ isDirectory(): boolean; dev: number }>;
  readdir(path: string): Promise<string[]>;
  /** Creates a small file in `dir` and removes it again. */
  probeWrite(dir: string): Promise<void>;
  /** Bytes an unprivileged user may still write there. */
  freeBytes(dir: string): Promise<number>;
}

export const nodeDoctorFs: DoctorFs = {
  stat: (path) => stat(path),
  readdir: (path) => readdir(path),
  async probeWrite(dir) {
    // Hidden, so PhotoPrism never imports it should doctor be stopped between the two calls.
    const probe = join(dir, `.photoferry-doctor-${randomBytes(6).toString("hex")}`);
    await writeFile(probe, "photoferry doctor write test\n", { flag: "wx" });
    await unlink(probe);
  },
  async freeBytes(dir) {
    const info = await statfs(dir);
    return info.bavail * info.bsize;
  },
};

/** What doctor learned about one folder; errno codes where a question was refused. */
export interface FolderFacts {
  path: string;
  /** null: it exists and is a folder. */
  statError: string | null;
  /** It exists but is a file (statError is then null). */
  notFolder: boolean;
  device: number | null;
  /** null: listed fine (or not asked because it is not a folder). */
  readError: string | null;
  /** undefined: not asked; null: a file could be created and removed. */
  writeError?: string | null;
  /** undefined: not asked; null: could not be told. */
  freeBytes?: number | null;
}

export interface FolderQuestions {
  write?: boolean;
  space?: boolean;
}

/** Asks only what makes sense: nothing is written into a folder that cannot be listed. */
export async function inspectFolder(
  path: string,
  fs: DoctorFs,
  ask: FolderQuestions = {},
): Promise<FolderFacts> {
  const facts: FolderFacts = {
    path,
    statError: null,
    notFolder: false,
    device: null,
    readError: null,
  };
  try {
    const info = await fs.stat(path);
    facts.device = info.dev;
    facts.notFolder = !info.isDirectory();
  } catch (error) {
    facts.statError = errnoCode(error);
    return facts;
  }
  if (facts.notFolder) return facts;
  facts.readError = await refusal(() => fs.readdir(path));
  if (facts.readError !== null) return facts;
  if (ask.write) facts.writeError = await refusal(() => fs.probeWrite(path));
  if (ask.space) facts.freeBytes = await fs.freeBytes(path).catch(() => null);
  return facts;
}

async function refusal(action: () => Promise<unknown>): Promise<string | null> {
  try {
    await action();
    return null;
  } catch (error) {
    return errnoCode(error);
  }
}
