// Runs every bench/*.bench.mjs, one after the other (benchmarks must not compete for the CPU),
// each in its own Node process, and prints a summary. Exits non-zero if any failed.
// `npm run bench` builds first; the benches import the built code from dist/.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const benchDir = import.meta.dirname;
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith(".bench.mjs"))
  .sort();

function runBench(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, name)], { stdio: "inherit" });
    child.on("error", (error) => resolve(`could not start: ${error.message}`));
    child.on("close", (code, signal) => resolve(code === 0 ? "ok" : `failed (${code ?? signal})`));
  });
}

const summary = [];
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const start = process.hrtime.bigint();
  const status = await runBench(name);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  summary.push({ name, status, seconds });
}

console.log("\n=== summary ===");
for (const { name, status, seconds } of summary) {
  console.log(`${name.padEnd(30)} ${status.padEnd(12)} ${seconds.toFixed(1)} s`);
}
if (benches.length === 0) console.log(`no *.bench.mjs files in ${benchDir}`);
if (summary.some(({ status }) => status !== "ok")) process.exitCode = 1;
