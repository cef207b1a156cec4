import { readdir } from "node:fs/promises";
import { posix } from "node:path";
import { errorCode } from "../errno.js";

/**
 * Every entry below `dir` that is not a directory (files, symlinks, anything else), hidden
 * ones included, as paths relative to `dir`; null when `dir` does not exist. Symlinked
 * directories are listed as entries, never followed.
 */
export type ListBatchFiles = (dir: string) => Promise<string[] | null>;

export const listBatchFiles: ListBatchFiles = async (dir) => {
  const found: string[] = [];
  const walk = async (relative: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(posix.join(dir, relative), { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
    for (const entry of entries) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else found.push(path);
    }
    return true;
  };
  return (await walk("")) ? found.sort() : null;
};
