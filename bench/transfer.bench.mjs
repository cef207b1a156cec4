// Transfer benchmarks, measured against a baseline in the same run:
//  1. moving a 1 GiB file on one filesystem (afterMove: delete) must be a rename: < 100 ms,
//     next to `mv` of a same-sized file;
//  2. peak RSS of a pass with 100,000 files already in the ledger must stay under 200 MB,
//     next to the RSS of this process with the same modules loaded and nothing done.
// Uses the built code in dist/ (`npm run bench` builds first).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { benchScale } from "./fixtures.mjs";

const { StateStore } = await import("../dist/state/state-store.js");
const { Journal } = await import("../dist/ledger/journal.js");
const { SourceFiles } = await import("../dist/ledger/source-files.js");
const { LibraryFiles } = await import("../dist/ledger/library-files.js");
const { TransferExecutor } = await import("../dist/transfer/transfer-executor.js");
const { nodeTransferFs } = await import("../dist/transfer/transfer-fs.js");
const { runFerryPass } = await import("../dist/engine/ferry-pass.js");
const { loadConfigText } = await import("../dist/config/load-config.js");
const { HashPool } = await import("../dist/hashing/hash-pool.js");

const root = mkdtempSync(join(tmpdir(), "photoferry-bench-transfer-"));
const logger = pino({ level: "silent" });
let failed = false;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const baselineRss = rssMb();

try {
  // 1. A rename, not a copy.
  const dataDir = join(root, "data");
  const importDir = join(root, "import");
  const camera = join(dataDir, "anna/files/InstantUpload");
  mkdirSync(camera, { recursive: true });
  mkdirSync(importDir, { recursive: true });
  const big = join(camera, "big.mov");
  writeFileSync(big, "");
  truncateSync(big, 2 ** 30); // sparse: a rename does not care, a copy would
  const twin = join(root, "twin.mov");
  writeFileSync(twin, "");
  truncateSync(twin, 2 ** 30);
  let start = process.hrtime.bigint();
  execFileSync("mv", [twin, join(root, "twin-moved.mov")]);
  const mvMs = Number(process.hrtime.bigint() - start) / 1e6;

  const store = StateStore.open(join(root, "state-rename"));
  const db = store.connection;
  const stat = await nodeTransferFs.lstat(big);
  const executor = new TransferExecutor({
    fs: nodeTransferFs,
    journal: new Journal(db),
    sourceFiles: new SourceFiles(db),
    library: new LibraryFiles(db),
    transaction: (fn) => store.transaction(fn),
    hash: () => Promise.reject(new Error("a rename must not read the file")),
    now: Date.now,
    logger,
    importDev: stat.dev,
    settings: {
      importDir,
      dataDir,
      afterMove: "delete",
      archiveDir: "Archived Photos",
      files: { uid: process.getuid(), gid: process.getgid(), mode: 0o644 },
      reserveBytes: 0,
    },
  });
  const group = {
    groupKey: "big",
    userId: "anna",
    action: "transfer",
    files: [
      {
        sourcePath: big,
        pathBelowFiles: "InstantUpload/big.mov",
        sha256: "0".repeat(64),
        sha1: null,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        dev: stat.dev,
      },
    ],
  };
  start = process.hrtime.bigint();
  const report = await executor.run([group]);
  const moveMs = Number(process.hrtime.bigint() - start) / 1e6;
  store.close();
  const renamed = report.outcomes[0]?.entry.method === "rename";
  console.log("Moving a 1 GiB file on one filesystem (afterMove: delete)");
  console.log(`  mv (baseline)         ${mvMs.toFixed(1)} ms`);
  console.log(
    `  photoferry            ${moveMs.toFixed(1)} ms  (${(moveMs / mvMs).toFixed(2)}x mv, method: ${report.outcomes[0]?.entry.method})  target < 100 ms`,
  );
  if (!renamed || moveMs >= 100) failed = true;

  // 2. Memory with a large ledger.
  const files = Math.round(100_000 * benchScale());
  const passRoot = join(root, "pass");
  const passData = join(passRoot, "data");
  const passImport = join(passRoot, "import");
  const stateDir = join(passRoot, "state");
  mkdirSync(join(passData, "anna/files/InstantUpload"), { recursive: true });
  mkdirSync(passImport, { recursive: true });
  const ledger = StateStore.open(stateDir);
  const sources = new SourceFiles(ledger.connection);
  const library = new LibraryFiles(ledger.connection);
  ledger.transaction(() => {
    for (let i = 0; i < files; i++) {
      const path = join(passData, "anna/files/InstantUpload/old", `IMG_${i}.jpg`);
      sources.put({
        path,
        userId: "anna",
        size: 1000 + i,
        mtimeMs: 1,
        mtimeNs: "1000000",
        ino: String(i),
        dev: "1",
        settleSince: 0,
        sha256: i.toString(16).padStart(64, "0"),
        sha1: null,
        status: "transferred",
        reason: null,
        updatedAt: 0,
      });
      library.put({
        sha256: i.toString(16).padStart(64, "0"),
        sha1: null,
        origin: "ferried",
        location: `/import/b/IMG_${i}.jpg`,
        name: `IMG_${i}.jpg`,
        size: 1000 + i,
        addedAt: 0,
      });
    }
  });
  ledger.close();
  for (let i = 0; i < 50; i++) {
    const path = join(passData, "anna/files/InstantUpload", `new_${i}.jpg`);
    writeFileSync(path, `new photo ${i} `.repeat(1000));
    utimesSync(path, new Date(2024, 0, 1), new Date(2024, 0, 1));
  }
  const { config } = loadConfigText(
    [
      `nextcloud: { dataDir: ${JSON.stringify(passData)}, afterMove: delete }`,
      `photoprism: { importDir: ${JSON.stringify(passImport)}, trigger: none, files: { uid: ${process.getuid()}, gid: ${process.getgid()} } }`,
      `state: { dir: ${JSON.stringify(stateDir)} }`,
    ].join("\n"),
    { env: {} },
  );
  let peak = rssMb();
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 5);
  const pool = new HashPool();
  const store2 = StateStore.open(stateDir);
  start = process.hrtime.bigint();
  const pass = await runFerryPass(
    { config, store: store2, logger, hasher: (path, options) => pool.hash(path, options) },
    { mode: "one-shot", dryRun: false },
  );
  const passMs = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(), process.resourceUsage().maxRSS / 1024);
  await pool.stop();
  store2.close();
  const moved = pass.files.filter((f) => f.action === "transfer").length;
  console.log(
    `\nA pass over 50 new photos with ${files.toLocaleString("en")} files already in the ledger`,
  );
  console.log(`  RSS with modules loaded (baseline)  ${baselineRss.toFixed(0)} MB`);
  console.log(
    `  peak RSS of the pass                ${peak.toFixed(0)} MB  (${(peak / baselineRss).toFixed(2)}x baseline)  target < 200 MB`,
  );
  console.log(`  pass took ${passMs.toFixed(0)} ms, transferred ${moved}`);
  if (peak >= 200 || moved !== 50) failed = true;
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (failed) {
  console.log("\nA target was missed.");
  process.exitCode = 1;
}
