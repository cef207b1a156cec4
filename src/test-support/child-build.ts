import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const srcDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = join(srcDir, "..");
let built: string | undefined;

/**
 * Transpiles src/ (without tests) into `.tmp/` inside the repository, so a test can run the
 * real program in a child process and kill it: Node 20 cannot run .ts files, and a full
 * `tsc` build takes too long. Packages resolve from the repository's node_modules.
 */
export function buildForChildProcess(): string {
  if (built) return built;
  const out = join(repoDir, ".tmp", `child-build-${process.pid}`);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "test-support") walk(path);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const js = ts.transpileModule(readFileSync(path, "utf8"), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        const target = join(out, "src", relative(srcDir, path)).replace(/\.ts$/, ".js");
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
    }
  };
  walk(srcDir);
  const manifest = JSON.parse(readFileSync(join(repoDir, "package.json"), "utf8")) as {
    version: string;
  };
  writeFileSync(
    join(out, "package.json"),
    JSON.stringify({ type: "module", version: manifest.version }),
  );
  built = join(out, "src");
  return built;
}
