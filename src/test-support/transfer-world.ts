import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pino } from "pino";
import { Journal } from "../ledger/journal.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { SourceFiles } from "../ledger/source-files.js";
import { StateStore } from "../state/state-store.js";
import {
  TransferExecutor,
  type PlannedGroup,
  type TransferSettings,
} from "../transfer/transfer-executor.js";
import { nodeTransferFs, type TransferFs } from "../transfer/transfer-fs.js";

export const sha256 = (data: Buffer | string): string =>
  createHash("sha256").update(data).digest("hex");

export const hashPath = (path: string): Promise<{ sha256: string }> =>
  Promise.resolve({ sha256: sha256(readFileSync(path)) });

/** A temp Nextcloud data dir, import folder and state store, for transfer tests. */
export class TransferWorld {
  readonly root = mkdtempSync(join(tmpdir(), "photoferry-transfer-"));
  readonly dataDir = join(this.root, "data");
  readonly importDir = join(this.root, "import");
  readonly stateDir = join(this.root, "state");
  store = StateStore.open(this.stateDir);

  constructor(readonly settingsOverride: Partial<TransferSettings> = {}) {
    mkdirSync(this.importDir, { recursive: true });
  }

  get settings(): TransferSettings {
    return {
      importDir: this.importDir,
      dataDir: this.dataDir,
      afterMove: "archive",
      archiveDir: "Archived Photos",
      files: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, mode: 0o644 },
      reserveBytes: 0,
      ...this.settingsOverride,
    };
  }

  /** Writes a user's file below `files/`, with an old mtime like a phone's upload. */
  addFile(
    user: string,
    below: string,
    content: string | Buffer,
    mtimeMs = 1_600_000_000_000,
  ): string {
    const path = join(this.dataDir, user, "files", below);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, new Date(mtimeMs), new Date(mtimeMs));
    return path;
  }

  async group(
    user: string,
    belows: string[],
    action: PlannedGroup["action"] = "transfer",
  ): Promise<PlannedGroup> {
    const files = await Promise.all(
      belows.map(async (below) => {
        const sourcePath = join(this.dataDir, user, "files", below);
        const stat = (await nodeTransferFs.lstat(sourcePath))!;
        return {
          sourcePath,
          pathBelowFiles: below,
          sha256: sha256(readFileSync(sourcePath)),
          sha1: null,
          size: stat.size,
          mtimeMs: stat.mtimeMs,
          dev: stat.dev,
        };
      }),
    );
    // The engine records what it scanned before it plans; do the same here.
    const ledger = new SourceFiles(this.store.connection);
    for (const file of files) {
      ledger.put({
        path: file.sourcePath,
        userId: user,
        size: file.size,
        mtimeMs: file.mtimeMs,
        mtimeNs: "0",
        ino: "0",
        dev: file.dev,
        settleSince: 0,
        sha256: file.sha256,
        sha1: null,
        status: "pending",
        reason: null,
        updatedAt: 0,
      });
    }
    return { groupKey: belows[0]!, userId: user, action, files };
  }

  /** `importDev` other than the real one makes every transfer a copy, as across filesystems. */
  async executor(fs: TransferFs = nodeTransferFs, importDev?: string): Promise<TransferExecutor> {
    const db = this.store.connection;
    importDev ??= (await nodeTransferFs.lstat(this.importDir))!.dev;
    return new TransferExecutor({
      fs,
      journal: new Journal(db),
      sourceFiles: new SourceFiles(db),
      library: new LibraryFiles(db),
      transaction: (fn) => this.store.transaction(fn),
      hash: hashPath,
      now: Date.now,
      logger: pino({ level: "silent" }),
      settings: this.settings,
      importDev,
    });
  }

  /** Reopens the state store, as a restarted process would. */
  restart(): void {
    this.store.close();
    this.store = StateStore.open(this.stateDir);
  }

  /** Every regular file under `dir`, relative path → sha256. */
  filesUnder(dir: string): Map<string, string> {
    const found = new Map<string, string>();
    const walk = (current: string): void => {
      let entries;
      try {
        entries = readdirSync(current, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) walk(path);
        else found.set(relative(dir, path), sha256(readFileSync(path)));
      }
    };
    walk(dir);
    return found;
  }

  close(): void {
    this.store.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
