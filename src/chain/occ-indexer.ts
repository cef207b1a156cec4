import type { ResolvedOcc } from "../config/presets.js";
import { parseFilesScan, type FilesScanResult } from "../nextcloud/files-scan-output.js";
import {
  parseMemoriesHelp,
  parseMemoriesIndex,
  type MemoriesIndexResult,
} from "../nextcloud/memories-output.js";
import {
  filesScanCommand,
  memoriesHelpCommand,
  memoriesIndexCommand,
  statusCommand,
  type MemoriesFlavour,
} from "../nextcloud/occ-commands.js";
import type { OccProblem } from "../nextcloud/occ-output.js";
import { parseStatus } from "../nextcloud/occ-status.js";
import type { NextcloudCheck, NextcloudIndexer, StepOutcome } from "./indexing-chain.js";
import { runRecorded, type RecordedRunDeps } from "./run-recorded.js";

/** occ's own words first (the line that showed it), then what to do about it. */
const problemText = (problems: readonly OccProblem[]): string =>
  problems
    .map((p) => `${p.message}${p.lines[0] ? ` ("${p.lines[0]}")` : ""} — ${p.hint}`)
    .join("; ");

/** occ through a runner: the maintenance check, files:scan and memories:index. */
export class OccIndexer implements NextcloudIndexer {
  private flavour: Promise<MemoriesFlavour> | undefined;

  constructor(
    private readonly occ: ResolvedOcc,
    private readonly deps: RecordedRunDeps,
  ) {}

  async check(): Promise<NextcloudCheck> {
    const status = await runRecorded(
      this.deps,
      "nextcloud",
      "status",
      null,
      statusCommand(this.occ),
      (result) => {
        const parsed = parseStatus(result);
        return { parsed, ok: parsed.ok };
      },
    );
    if (status.ok && status.status) return { ok: true, version: status.status.versionstring };
    const first = status.problems[0];
    return {
      ok: false,
      problem: first?.message ?? "occ status failed",
      hint: first?.hint ?? "Run photoferry doctor",
    };
  }

  async scan(virtualPath: string): Promise<StepOutcome> {
    const result = await runRecorded(
      this.deps,
      "nextcloud",
      "files:scan",
      null,
      filesScanCommand(this.occ, virtualPath),
      (output): { parsed: FilesScanResult; ok: boolean; retry?: string } => {
        const parsed = parseFilesScan(output);
        const busy = parsed.problems.some((p) => p.kind === "already-scanning");
        return busy
          ? { parsed, ok: false, retry: "another scan of this path is running" }
          : { parsed, ok: scanSucceeded(parsed) };
      },
    );
    const summary = result.summary;
    const counts = summary
      ? `${summary.files} files in ${summary.folders} folders` +
        (summary.changed !== null ? `, ${summary.changed} changed` : "") +
        (summary.removed !== null ? `, ${summary.removed} removed` : "")
      : "no summary";
    const ok = scanSucceeded(result);
    return {
      ok,
      summary: result.problems.length === 0 ? counts : `${counts}: ${problemText(result.problems)}`,
    };
  }

  async indexMemories(userId: string, path: string): Promise<StepOutcome> {
    const flavour = await this.memoriesFlavour();
    const result: MemoriesIndexResult = await runRecorded(
      this.deps,
      "nextcloud",
      "memories:index",
      null,
      memoriesIndexCommand(this.occ, flavour, userId, path),
      (output) => {
        const parsed = parseMemoriesIndex(output);
        return { parsed, ok: parsed.ok };
      },
    );
    const counts = `${result.progress.files} file(s) in ${result.progress.folders} folder(s)`;
    return {
      ok: result.ok,
      summary: result.ok ? counts : `${counts}: ${problemText(result.problems)}`,
    };
  }

  /** Read once per indexer: `memories:index --help` tells `--path` (≥ 7.6.1) from `--folder`. */
  private memoriesFlavour(): Promise<MemoriesFlavour> {
    this.flavour ??= runRecorded(
      this.deps,
      "nextcloud",
      "memories:index --help",
      null,
      memoriesHelpCommand(this.occ),
      (output) => {
        const parsed = parseMemoriesHelp(output);
        return { parsed, ok: parsed.ok };
      },
    ).then((help) => {
      if (help.flavour) return help.flavour;
      if (help.installed === false) {
        throw new Error(
          "the Memories app is not installed in Nextcloud: install it, or set nextcloud.memories.enabled: false",
        );
      }
      throw new Error(`cannot tell how to call memories:index: ${problemText(help.problems)}`);
    });
    // A failed probe is asked again next time rather than remembered.
    this.flavour.catch(() => (this.flavour = undefined));
    return this.flavour;
  }
}

/**
 * A name Nextcloud cannot read (NFD, from a Mac) is skipped and counted as an error, but it
 * is some other file in the folder, not photoferry's: the scan did its work, so it passes
 * (the summary still names the file). Anything else counts.
 */
const harmless = new Set(["incompatible-encoding"]);
function scanSucceeded(result: FilesScanResult): boolean {
  if (result.ok) return true;
  return (
    result.failure === undefined &&
    result.summary !== undefined &&
    result.problems.length > 0 &&
    result.problems.every((p) => harmless.has(p.kind))
  );
}
