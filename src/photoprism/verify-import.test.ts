import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalEntry } from "../ledger/journal.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { StateStore } from "../state/state-store.js";
import { nodeTransferFs } from "../transfer/transfer-fs.js";
import { listBatchFiles } from "./batch-listing.js";
import { parseImportLog } from "./import-log.js";
import { quarantineLeftovers, recordLearntOriginals } from "./import-leftovers.js";
import { PhotoPrismApiError } from "./photoprism-api-error.js";
import { verifyImport, type ImportOutcome, type VerifyImportDeps } from "./verify-import.js";

const batchId = "photoferry-20240501-101010-abcd";
let importDir: string;
let batchDir: string;

beforeEach(() => {
  importDir = mkdtempSync(join(tmpdir(), "photoferry-verify-"));
  batchDir = join(importDir, batchId);
  mkdirSync(join(importDir, ".photoferry"));
});
afterEach(() => rmSync(importDir, { recursive: true, force: true }));

const digest = (algorithm: string, text: string): string =>
  createHash(algorithm).update(text).digest("hex");

let nextId = 1;
/** A published journal entry for `relative`; `inBatch` leaves its file in the batch folder. */
function entry(relative: string, inBatch: boolean, overrides: Partial<JournalEntry> = {}) {
  const content = `content of ${relative}`;
  if (inBatch) {
    mkdirSync(dirname(join(batchDir, relative)), { recursive: true });
    writeFileSync(join(batchDir, relative), content);
  }
  const result: JournalEntry = {
    id: nextId++,
    batchId,
    groupKey: relative.replace(/\..*$/, ""),
    userId: relative.split("/")[0] ?? "",
    action: "transfer",
    sourcePath: `/nc/${relative.replace("/", "/files/InstantUpload/")}`,
    stagedRelative: relative,
    method: "copy",
    afterMove: "archive",
    archivePath: null,
    sha256: digest("sha256", content),
    sha1: digest("sha1", content),
    size: content.length,
    mtimeMs: 1,
    state: "published",
    error: null,
    updatedAt: 1,
    ...overrides,
  };
  return result;
}

const hash = async (path: string) => ({ sha256: digest("sha256", await readFile(path, "utf8")) });

/** A stand-in for PhotoPrism's index: SHA-1 → originals path. */
function index(known: Record<string, string>) {
  const asked: string[] = [];
  const findBySha1: NonNullable<VerifyImportDeps["findBySha1"]> = (sha1) => {
    asked.push(sha1);
    const name = known[sha1];
    return Promise.resolve(name ? { name, root: "/" } : null);
  };
  return { asked, findBySha1 };
}

const outcomes = (verdicts: { entry: JournalEntry; outcome: ImportOutcome }[]) =>
  Object.fromEntries(verdicts.map((v) => [v.entry.stagedRelative, v.outcome]));

describe("verifyImport with PhotoPrism's API", () => {
  it("learns where files went, tells duplicates apart and finds what was left", async () => {
    const photo = entry("anna/IMG_1.jpg", false);
    const sidecar = entry("anna/IMG_1.jpg.xmp", false);
    const dupe = entry("anna/IMG_2.jpg", false);
    const lonely = entry("anna/IMG_9.aae", true);
    const video = entry("anna/Camera Roll/IMG_3.mov", true);
    const lost = entry("anna/IMG_4.jpg", false);
    const failed = entry("anna/IMG_5.jpg", false, { state: "failed" });
    writeFileSync(join(batchDir, ".DS_Store"), "finder junk");
    const { asked, findBySha1 } = index({
      [photo.sha1 ?? ""]: "2024/05/20240501_101010_ABCD1234.jpg",
      [dupe.sha1 ?? ""]: "2019/01/20190101_000000_11111111.jpg",
    });

    const result = await verifyImport(
      {
        importDir,
        batchId,
        entries: [photo, sidecar, dupe, lonely, video, lost, failed],
        knownSha1s: new Set([dupe.sha1 ?? ""]),
      },
      { fs: nodeTransferFs, listFiles: listBatchFiles, findBySha1 },
    );

    expect(outcomes(result.verdicts)).toEqual({
      "anna/IMG_1.jpg": "imported",
      "anna/IMG_1.jpg.xmp": "imported",
      "anna/IMG_2.jpg": "duplicate",
      "anna/IMG_9.aae": "left-behind",
      "anna/Camera Roll/IMG_3.mov": "left-behind",
      "anna/IMG_4.jpg": "imported-unverified",
    });
    expect(result.verdicts[0]).toMatchObject({
      originalsPath: "2024/05/20240501_101010_ABCD1234.jpg",
      verified: true,
      reason: null,
    });
    expect(result.verdicts.find((v) => v.entry === lost)?.reason).toMatch(/index does not know/);
    // Sidecars are never looked up: PhotoPrism does not dedupe them.
    expect(asked).toEqual([photo.sha1, dupe.sha1, lost.sha1]);
    expect(result.touchedFolders).toEqual(["2024/05"]);
    expect(result.leftovers.map((l) => l.relative).sort()).toEqual([
      ".DS_Store",
      "anna/Camera Roll/IMG_3.mov",
      "anna/IMG_9.aae",
    ]);
    const reasonOf = (relative: string) =>
      result.leftovers.find((l) => l.relative === relative)?.reason;
    expect(reasonOf(".DS_Store")).toMatch(/not a file photoferry put there/);
    expect(reasonOf("anna/IMG_9.aae")).toMatch(/sidecar/);
    expect(reasonOf("anna/Camera Roll/IMG_3.mov")).toMatch(/busy/);
    // A photo left behind after an API import is most likely PhotoPrism having been busy.
    expect(result.retryAdvised).toBe(true);
    expect(result.summary).toBe(
      `Batch ${batchId}: 3 files imported into PhotoPrism (1 not verified in PhotoPrism's index); ` +
        "1 file PhotoPrism already had; 3 files left in the batch folder (1 not put there by " +
        "photoferry), worth another import.",
    );
  });

  it("stops asking after a failed look-up and says why the rest is unverified", async () => {
    const first = entry("anna/IMG_1.jpg", false);
    const second = entry("anna/IMG_2.jpg", false);
    let calls = 0;
    const result = await verifyImport(
      { importDir, batchId, entries: [first, second] },
      {
        fs: nodeTransferFs,
        listFiles: listBatchFiles,
        findBySha1: () => {
          calls++;
          return Promise.reject(
            new PhotoPrismApiError("transient", "could not reach PhotoPrism", "later", null),
          );
        },
      },
    );
    expect(calls).toBe(1);
    expect(outcomes(result.verdicts)).toEqual({
      "anna/IMG_1.jpg": "imported-unverified",
      "anna/IMG_2.jpg": "imported-unverified",
    });
    expect(result.lookupError).toBe("could not reach PhotoPrism");
    expect(result.verdicts[1]?.reason).toMatch(/could not be asked.*could not reach/);
  });

  it("does not look up a file whose SHA-1 was not computed, and ignores non-transfers", async () => {
    const photo = entry("anna/IMG_1.jpg", false, { sha1: null });
    const skipped = entry("anna/IMG_2.jpg", false, { action: "duplicate", state: "done" });
    const { asked, findBySha1 } = index({});
    const result = await verifyImport(
      { importDir, batchId, entries: [photo, skipped] },
      { fs: nodeTransferFs, listFiles: listBatchFiles, findBySha1 },
    );
    expect(asked).toEqual([]);
    expect(outcomes(result.verdicts)).toEqual({ "anna/IMG_1.jpg": "imported-unverified" });
    expect(result.verdicts[0]?.reason).toMatch(/SHA-1 was not computed/);
  });

  it("refuses to judge when the import folder looks unmounted", async () => {
    rmSync(join(importDir, ".photoferry"), { recursive: true });
    await expect(
      verifyImport(
        { importDir, batchId, entries: [entry("anna/IMG_1.jpg", false)] },
        { fs: nodeTransferFs, listFiles: listBatchFiles },
      ),
    ).rejects.toThrow(/mounted/);
  });
});

describe("verifyImport after `photoprism import` (exec, no API)", () => {
  const t = 'time="2024-05-01T10:10:10Z"';
  const line = (level: string, msg: string) => `${t} level=${level} msg=${JSON.stringify(msg)}`;

  it("reads placements and duplicates from the log, unverified", async () => {
    const photo = entry("anna/IMG 1.jpg", false);
    const dupe = entry("anna/IMG_2.jpg", false);
    const deletedDupe = entry("bert/IMG_7.jpg", false);
    const orphan = entry("anna/IMG_8.aae", true);
    const log = parseImportLog(
      [
        line(
          "info",
          "import: moving main jpg file 'anna/IMG 1.jpg' to 2024/05/20240501_101010_ABCD1234.jpg",
        ),
        line("info", `import: IMG_2.jpg is identical to 2019/01/x.jpg (sha1 ${dupe.sha1 ?? ""})`),
        line("info", "import: deleted bert/IMG_7.jpg (already exists)"),
        line("error", "import: anna/IMG_8.aae does not belong to a supported media file"),
      ].join("\n"),
    );
    const result = await verifyImport(
      { importDir, batchId, entries: [photo, dupe, deletedDupe, orphan], log },
      { fs: nodeTransferFs, listFiles: listBatchFiles },
    );
    expect(outcomes(result.verdicts)).toEqual({
      "anna/IMG 1.jpg": "imported-unverified",
      "anna/IMG_2.jpg": "duplicate",
      "bert/IMG_7.jpg": "duplicate",
      "anna/IMG_8.aae": "left-behind",
    });
    expect(result.verdicts[0]).toMatchObject({
      originalsPath: "2024/05/20240501_101010_ABCD1234.jpg",
      verified: false,
    });
    expect(result.verdicts[0]?.reason).toMatch(/API is off/);
    expect(result.verdicts[1]).toMatchObject({ originalsPath: "2019/01/x.jpg", verified: false });
    expect(result.touchedFolders).toEqual(["2024/05"]);
    expect(result.leftovers[0]?.reason).toMatch(
      /only imports it together with a photo.*does not belong to a supported media file/,
    );
    expect(result.retryAdvised).toBe(false);
    // Nothing verified: nothing goes into the ledger.
    const put: unknown[] = [];
    expect(recordLearntOriginals(result, { put: (file) => put.push(file) }, 5)).toBe(0);
  });

  it("blames a busy PhotoPrism for everything left, and advises another try", async () => {
    const photo = entry("anna/IMG_1.jpg", true);
    const log = parseImportLog(line("warning", "import: already running"));
    const result = await verifyImport(
      { importDir, batchId, entries: [photo], log },
      { fs: nodeTransferFs, listFiles: listBatchFiles },
    );
    expect(outcomes(result.verdicts)).toEqual({ "anna/IMG_1.jpg": "left-behind" });
    expect(result.leftovers[0]?.reason).toMatch(/already importing or indexing.*already running/);
    expect(result.retryAdvised).toBe(true);
  });

  it("names empty files as the reason they stay", async () => {
    const empty = entry("anna/IMG_0.jpg", false, { size: 0 });
    mkdirSync(join(batchDir, "anna"), { recursive: true });
    writeFileSync(join(batchDir, "anna/IMG_0.jpg"), "");
    const result = await verifyImport(
      { importDir, batchId, entries: [empty], log: parseImportLog("") },
      { fs: nodeTransferFs, listFiles: listBatchFiles },
    );
    expect(result.leftovers[0]?.reason).toMatch(/zero bytes/);
  });

  it("takes a batch folder PhotoPrism removed as everything gone", async () => {
    const photo = entry("anna/IMG_1.jpg", false);
    const result = await verifyImport(
      { importDir, batchId, entries: [photo], log: parseImportLog("") },
      { fs: nodeTransferFs, listFiles: listBatchFiles },
    );
    expect(outcomes(result.verdicts)).toEqual({ "anna/IMG_1.jpg": "imported-unverified" });
    expect(result.leftovers).toEqual([]);
    expect(result.summary).toMatch(/1 file imported/);
  });
});

describe("quarantineLeftovers", () => {
  it("moves leftovers with reasons, never overwriting, and removes the empty batch", async () => {
    const video = entry("anna/Camera Roll/IMG_3.mov", true);
    const lonely = entry("anna/IMG_9.aae", true);
    writeFileSync(join(batchDir, ".DS_Store"), "finder junk");
    // Something from an earlier run already sits where the video would go.
    const earlier = join(
      importDir,
      ".photoferry/quarantine",
      batchId,
      "anna/Camera Roll/IMG_3.mov",
    );
    mkdirSync(dirname(earlier), { recursive: true });
    writeFileSync(earlier, "earlier");
    const result = await verifyImport(
      { importDir, batchId, entries: [video, lonely] },
      { fs: nodeTransferFs, listFiles: listBatchFiles, findBySha1: index({}).findBySha1 },
    );

    const settled = await quarantineLeftovers(result, importDir, { fs: nodeTransferFs, hash });

    const quarantine = join(importDir, ".photoferry/quarantine", batchId);
    expect(settled.quarantined.map((q) => q.to).sort()).toEqual(
      [
        join(quarantine, ".DS_Store"),
        join(quarantine, "anna/Camera Roll/IMG_3 (2).mov"),
        join(quarantine, "anna/IMG_9.aae"),
      ].sort(),
    );
    expect(readFileSync(earlier, "utf8")).toBe("earlier");
    expect(readFileSync(join(quarantine, "anna/Camera Roll/IMG_3 (2).mov"), "utf8")).toBe(
      "content of anna/Camera Roll/IMG_3.mov",
    );
    expect(readFileSync(join(quarantine, ".DS_Store"), "utf8")).toBe("finder junk");
    const reason = readFileSync(join(quarantine, "anna/IMG_9.aae.reason.txt"), "utf8");
    expect(reason).toContain(join(batchDir, "anna/IMG_9.aae"));
    expect(reason).toMatch(/PhotoPrism did not import it \(batch .*\): .*sidecar/);
    expect(settled.batchRemoved).toBe(true);
    expect(await listBatchFiles(batchDir)).toBeNull();
  });

  it("keeps the batch folder when something is still in it, and notes files that vanished", async () => {
    const photo = entry("anna/IMG_1.jpg", true);
    const result = await verifyImport(
      { importDir, batchId, entries: [photo] },
      { fs: nodeTransferFs, listFiles: listBatchFiles },
    );
    // PhotoPrism, still at work, takes the file; meanwhile a new one appears.
    rmSync(join(batchDir, "anna/IMG_1.jpg"));
    writeFileSync(join(batchDir, "late.jpg"), "late");
    const settled = await quarantineLeftovers(result, importDir, { fs: nodeTransferFs, hash });
    expect(settled).toMatchObject({ quarantined: [], vanished: ["anna/IMG_1.jpg"] });
    expect(settled.batchRemoved).toBe(false);
    expect(await listBatchFiles(batchDir)).toEqual(["late.jpg"]);
  });
});

describe("recordLearntOriginals", () => {
  it("records verified originals paths in the ledger as origin photoprism", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "photoferry-verify-state-"));
    const store = StateStore.open(stateDir);
    try {
      const photo = entry("anna/IMG_1.jpg", false);
      const sidecar = entry("anna/IMG_1.jpg.xmp", false);
      const result = await verifyImport(
        { importDir, batchId, entries: [photo, sidecar] },
        {
          fs: nodeTransferFs,
          listFiles: listBatchFiles,
          findBySha1: index({ [photo.sha1 ?? ""]: "2024/05/20240501_101010_ABCD1234.jpg" })
            .findBySha1,
        },
      );
      const library = new LibraryFiles(store.connection);
      expect(recordLearntOriginals(result, library, 42)).toBe(1);
      expect(library.findBySha256(photo.sha256)).toEqual({
        sha256: photo.sha256,
        sha1: photo.sha1,
        origin: "photoprism",
        location: "originals/2024/05/20240501_101010_ABCD1234.jpg",
        name: "IMG_1.jpg",
        size: photo.size,
        exifKey: null,
        addedAt: 42,
      });
      expect(library.findBySha256(sidecar.sha256)).toBeUndefined();
    } finally {
      store.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
