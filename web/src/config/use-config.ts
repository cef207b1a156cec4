import { api, ApiError } from "../api/client.js";
import { Store } from "../live/store.js";

/** `GET /api/config`: secrets appear only as `{ set: boolean }`. */
export interface ConfigView {
  config: Record<string, unknown>;
  hash: string;
  warnings: string[];
  fileProblems: string[];
  schema: Record<string, unknown>;
}

export interface ConfigEdit {
  path: string[];
  /** Any JSON value; null clears a key. */
  value: unknown;
}

export interface SaveResult {
  restartRequired: string[];
  warnings: string[];
  layoutKept: boolean;
}

/**
 * The config as the UI last read it, shared by Settings, Users and Notifications so a save
 * on one page never works from another page's outdated hash.
 */
export const configView = new Store<ConfigView | null>(null);

export async function loadConfig(): Promise<ConfigView> {
  const view = await api.get<ConfigView>("/api/config");
  configView.set(view);
  return view;
}

/** The file changed on disk (or another tab saved) since it was read: reload and redo. */
export class ConfigConflict extends Error {
  override readonly name = "ConfigConflict";
}

/**
 * Saves edits against the hash last read. The server keeps the file's comments and layout;
 * 422 problems come back as an ApiError with `problems` (line, message, fix) for inline use.
 */
export async function saveConfig(edits: ConfigEdit[]): Promise<SaveResult> {
  const base = configView.get() ?? (await loadConfig());
  try {
    const result = await api.put<Omit<ConfigView, "schema" | "fileProblems"> & SaveResult>(
      "/api/config",
      { baseHash: base.hash, edits },
    );
    configView.set({
      ...base,
      config: result.config,
      hash: result.hash,
      warnings: result.warnings,
    });
    return {
      restartRequired: result.restartRequired,
      warnings: result.warnings,
      layoutKept: result.layoutKept,
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      throw new ConfigConflict(
        "The config file was changed on disk (or in another tab) after this page read it. " +
          "Reload to see the current values, then make your change again.",
      );
    }
    throw error;
  }
}

/** Reads a value at a path of the config object (undefined when absent). */
export function valueAt(config: unknown, path: readonly string[]): unknown {
  let current: unknown = config;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** True for a secret as the API shows it: `{ set: boolean }` and nothing else. */
export function isSecretView(value: unknown): value is { set: boolean } {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { set?: unknown }).set === "boolean"
  );
}
