import type { Logger } from "pino";
import { ConfigFile, type ConfigSnapshot } from "./config-file.js";
import { chokidarWatchFile, type FileWatcher, type WatchFile } from "./file-watcher.js";
import { errorsOf, formatIssue, formatPath, type ConfigIssue } from "./issues.js";
import { requiresRestart } from "./json-schema.js";
import { loadConfigText, type LoadOptions, type LoadResult } from "./load-config.js";
import type { PhotoferryConfig } from "./resolve-config.js";
import { applyYamlEdits, type ConfigEdit } from "./yaml-edit.js";

/** The config is invalid; `issues` lists every problem. */
export class ConfigInvalidError extends Error {
  constructor(
    readonly path: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `${path} is not valid:\n` +
        errorsOf(issues)
          .map((issue) => `  - ${formatIssue(issue)}`)
          .join("\n"),
    );
    this.name = "ConfigInvalidError";
  }
}

export interface ConfigState {
  config: PhotoferryConfig;
  snapshot: ConfigSnapshot;
  /** Warnings of the good config in use. */
  issues: ConfigIssue[];
}

export interface ConfigChange {
  previous: PhotoferryConfig;
  current: PhotoferryConfig;
  origin: "file" | "api";
}

export interface UpdateResult {
  state: ConfigState;
  /** Dotted paths of changed keys that only take effect after a restart. */
  restartRequired: string[];
  layoutKept: boolean;
}

interface ConfigServiceOptions extends LoadOptions {
  file: ConfigFile;
  logger: Logger;
  watchFile?: WatchFile;
  /** Called with each newly found secret value, so the logger can scrub it. */
  onSecret?: (value: string) => void;
}

/**
 * Holds the last good config. Hand edits are picked up live; an invalid edit keeps the last
 * good config and is reported (`lastError`) until the file is fixed.
 */
export class ConfigService {
  private state: ConfigState | undefined;
  private watcher: FileWatcher | undefined;
  private readonly listeners = new Set<(change: ConfigChange) => void>();
  /** The problems of the file on disk when it is invalid, else undefined. */
  lastError: ConfigInvalidError | undefined;

  constructor(private readonly options: ConfigServiceOptions) {}

  /** Loads the file (throws ConfigInvalidError when there is no good config) and starts watching. */
  async start(): Promise<ConfigState> {
    this.options.file.removeStaleTempFiles();
    const state = this.load(this.options.file.read());
    this.state = state;
    const watchFile = this.options.watchFile ?? chokidarWatchFile();
    this.watcher = watchFile(this.options.file.path, () => this.reload());
    await this.watcher.ready;
    return state;
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }

  get current(): ConfigState {
    if (!this.state) throw new Error("ConfigService.start() has not run");
    return this.state;
  }

  onChange(listener: (change: ConfigChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file; the watcher calls this, and so may a SIGHUP handler. */
  reload(): void {
    let snapshot: ConfigSnapshot;
    try {
      snapshot = this.options.file.read();
    } catch (error) {
      this.options.logger.error(
        { err: error },
        "config file cannot be read; keeping the last good config",
      );
      return;
    }
    if (snapshot.hash === this.state?.snapshot.hash) return;
    try {
      this.adopt(this.load(snapshot), "file");
      this.options.logger.info({ path: snapshot.path }, "config reloaded");
    } catch (error) {
      if (!(error instanceof ConfigInvalidError)) throw error;
      this.lastError = error;
      this.options.logger.error(
        { path: snapshot.path, problems: errorsOf(error.issues).map(formatIssue) },
        "config file has errors; keeping the last good config",
      );
    }
  }

  /**
   * The UI's edit: refused when the file changed since `baseHash` was read, validated before
   * anything is written, written atomically with comments and layout kept.
   */
  update(edits: readonly ConfigEdit[], baseHash: string): UpdateResult {
    const { file } = this.options;
    const current = file.read();
    const { text, layoutKept } = applyYamlEdits(current.text, edits);
    const state = this.load({ ...current, text });
    const snapshot = file.write(text, baseHash);
    this.adopt({ ...state, snapshot }, "api");
    const restartRequired = edits
      .filter((edit) => requiresRestart(edit.path))
      .map((edit) => formatPath(edit.path));
    return { state: this.current, restartRequired, layoutKept };
  }

  private load(snapshot: ConfigSnapshot): ConfigState {
    const result: LoadResult = loadConfigText(snapshot.text, this.options);
    for (const value of Object.values(result.secrets.values)) this.options.onSecret?.(value);
    if (!result.config) throw new ConfigInvalidError(snapshot.path, result.issues);
    return { config: result.config, snapshot, issues: result.issues };
  }

  private adopt(state: ConfigState, origin: ConfigChange["origin"]): void {
    const previous = this.state?.config;
    this.state = state;
    this.lastError = undefined;
    if (!previous) return;
    for (const listener of this.listeners) {
      try {
        listener({ previous, current: state.config, origin });
      } catch (error) {
        this.options.logger.error({ err: error }, "a config listener failed");
      }
    }
  }
}
