import { createHash, randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file system calls the config file needs; tests inject faults through it. */
export interface ConfigFs {
  readFileSync(path: string, encoding: "utf8"): string;
  statSync(path: string): { mode: number; uid: number; gid: number };
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, text: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  fchownSync(fd: number, uid: number, gid: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(path: string): string[];
}

export interface ConfigSnapshot {
  path: string;
  text: string;
  /** sha256 of the text: the UI sends it back so a stale edit can be refused. */
  hash: string;
}

export class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "ConfigFileError";
  }
}

/** The file changed on disk after the editor read it. */
export class ConfigConflictError extends Error {
  constructor(readonly current: ConfigSnapshot) {
    super("the config file changed on disk since it was read; reload and apply your change again");
    this.name = "ConfigConflictError";
  }
}

export const hashText = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The only code that reads or writes photoferry.yaml. */
export class ConfigFile {
  constructor(
    readonly path: string,
    private readonly fs: ConfigFs = nodeFs,
  ) {}

  read(): ConfigSnapshot {
    try {
      const text = this.fs.readFileSync(this.path, "utf8");
      return { path: this.path, text, hash: hashText(text) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        throw new ConfigFileError(
          `config file ${this.path} does not exist`,
          "create it from the example (docs/configuration.md), or point --config / PHOTOFERRY_CONFIG at yours",
        );
      }
      if (code === "EISDIR") {
        throw new ConfigFileError(
          `${this.path} is a folder, not a file`,
          "point --config at the YAML file inside it",
        );
      }
      throw new ConfigFileError(
        `config file ${this.path} cannot be read (${code ?? String(error)})`,
        "check that photoferry's user may read it",
      );
    }
  }

  /**
   * Replaces the file atomically: a temp file beside it is written and fsynced, the old
   * file is copied to `.bak`, then one rename swaps them. A crash at any point leaves
   * either the old or the new file whole, never a truncated one.
   */
  write(text: string, expectedHash: string): ConfigSnapshot {
    const current = this.read();
    if (current.hash !== expectedHash) throw new ConfigConflictError(current);
    const directory = dirname(this.path);
    const owner = this.fs.statSync(this.path);
    const temp = this.writeTemp(text, owner);
    let backup: string | undefined;
    try {
      // The old version, with the same care: it holds the same secrets.
      backup = this.writeTemp(current.text, owner);
      this.fs.renameSync(backup, `${this.path}.bak`);
      backup = undefined;
      this.fs.renameSync(temp, this.path);
    } catch (error) {
      for (const left of [temp, backup]) {
        try {
          if (left) this.fs.unlinkSync(left);
        } catch {
          // already renamed
        }
      }
      throw error;
    }
    this.syncDirectory(directory);
    return { path: this.path, text, hash: hashText(text) };
  }

  /** A fsynced temp file beside the config with its owner and mode; removed if that fails. */
  private writeTemp(text: string, owner: { mode: number; uid: number; gid: number }): string {
    const directory = dirname(this.path);
    const temp = join(directory, `.${basename(this.path)}.${randomBytes(6).toString("hex")}.tmp`);
    const fd = this.fs.openSync(temp, "wx", 0o600);
    try {
      try {
        this.fs.writeSync(fd, text);
        this.keepOwnership(fd, owner);
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } catch (error) {
      try {
        this.fs.unlinkSync(temp);
      } catch {
        // never created
      }
      throw error;
    }
    return temp;
  }

  /**
   * Keeps the person's owner, group and mode: the file may hold secrets. A non-root
   * photoferry creates files in its own primary group (in the compose files PhotoPrism's),
   * so when the file's group cannot be kept, that group gets no access at all.
   */
  private keepOwnership(
    fd: number,
    { mode, uid, gid }: { mode: number; uid: number; gid: number },
  ) {
    this.fs.fchmodSync(fd, mode & 0o7777);
    if (process.getuid?.() === 0) {
      this.fs.fchownSync(fd, uid, gid);
      return;
    }
    if (gid === process.getgid?.()) return;
    try {
      this.fs.fchownSync(fd, -1, gid);
    } catch {
      this.fs.fchmodSync(fd, mode & 0o7707);
    }
  }

  /** Removes temp files a killed writer left behind; the config file itself is never partial. */
  removeStaleTempFiles(): string[] {
    const directory = dirname(this.path);
    const prefix = `.${basename(this.path)}.`;
    const removed: string[] = [];
    let names: string[] = [];
    try {
      names = this.fs.readdirSync(directory);
    } catch {
      return removed;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length)))
        continue;
      try {
        this.fs.unlinkSync(join(directory, name));
        removed.push(name);
      } catch {
        // another process may have removed it
      }
    }
    return removed;
  }

  // Makes the rename itself durable; some file systems refuse to fsync a directory.
  private syncDirectory(directory: string): void {
    try {
      const fd = this.fs.openSync(directory, "r");
      try {
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } catch {
      // best effort
    }
  }
}

/** `--config`, else `PHOTOFERRY_CONFIG`, else the image's `/config/photoferry.yaml`. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.PHOTOFERRY_CONFIG ?? "/config/photoferry.yaml";
}
