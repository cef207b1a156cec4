import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../test-support/child-build.js";
import {
  ConfigConflictError,
  ConfigFile,
  ConfigFileError,
  hashText,
  resolveConfigPath,
  type ConfigFs,
} from "./config-file.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-config-"));
  path = join(dir, "photoferry.yaml");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("ConfigFile", () => {
  it("explains a missing file", () => {
    expect(() => new ConfigFile(path).read()).toThrow(ConfigFileError);
    expect(() => new ConfigFile(path).read()).toThrow(/does not exist/);
    expect(() => new ConfigFile(dir).read()).toThrow(/is a folder/);
  });

  it("writes atomically, keeps a .bak and the file's mode", () => {
    writeFileSync(path, "old: 1\n", { mode: 0o640 });
    const file = new ConfigFile(path);
    const snapshot = file.write("new: 2\n", file.read().hash);
    expect(readFileSync(path, "utf8")).toBe("new: 2\n");
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("old: 1\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(snapshot.hash).toBe(hashText("new: 2\n"));
    expect(fs.readdirSync(dir).sort()).toEqual(["photoferry.yaml", "photoferry.yaml.bak"]);
  });

  it("refuses to write over a file that changed since it was read", () => {
    writeFileSync(path, "a: 1\n");
    const file = new ConfigFile(path);
    const seen = file.read();
    writeFileSync(path, "a: 2 # edited by hand\n");
    expect(() => file.write("a: 3\n", seen.hash)).toThrow(ConfigConflictError);
    expect(readFileSync(path, "utf8")).toBe("a: 2 # edited by hand\n");
  });

  it.skipIf(process.getuid?.() !== 0)(
    "never hands a private config to its own group when it cannot keep the file's group",
    { timeout: 30_000 },
    () => {
      // As the compose files run it: uid 33 with PhotoPrism's group 1000, not in group 33.
      chmodSync(dir, 0o755);
      writeFileSync(path, "web: {}\n", { mode: 0o640 });
      chownSync(dir, 33, 33);
      chownSync(path, 33, 33);
      const module = join(buildForChildProcess(), "config", "config-file.js");
      const script = `import(${JSON.stringify(module)}).then(({ ConfigFile }) => {
        const file = new ConfigFile(${JSON.stringify(path)});
        file.write("web: { port: 8081 }\\n", file.read().hash);
      })`;
      const child = spawnSync(process.execPath, ["-e", script], {
        uid: 33,
        gid: 1000,
        encoding: "utf8",
      });
      expect(child.stderr).toBe("");
      expect(readFileSync(path, "utf8")).toBe("web: { port: 8081 }\n");
      for (const written of [path, `${path}.bak`]) {
        const st = statSync(written);
        expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o777 }, written).toEqual({
          uid: 33,
          gid: 1000,
          mode: 0o600,
        });
      }
    },
  );

  it("leaves the old file whole when any step of a write fails", () => {
    const steps = ["openSync", "writeSync", "fchmodSync", "fsyncSync", "closeSync", "renameSync"];
    for (const step of steps) {
      writeFileSync(path, "old: 1\n");
      const faulty = new Proxy(fs, {
        get(target, name: string) {
          const real = Reflect.get(target, name) as (...args: unknown[]) => unknown;
          if (name !== step) return real;
          return (...args: unknown[]) => {
            if (name === "writeSync") real(args[0], "partial"); // a short write, then the failure
            throw Object.assign(new Error(`injected ${name} failure`), { code: "EIO" });
          };
        },
      }) as unknown as ConfigFs;
      const file = new ConfigFile(path, faulty);
      expect(() => file.write("new: 2\n", hashText("old: 1\n")), step).toThrow(/injected/);
      expect(readFileSync(path, "utf8"), step).toBe("old: 1\n");
      expect(
        fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")),
        step,
      ).toEqual([]);
    }
  });

  it("removes temp files a killed writer left behind", () => {
    writeFileSync(path, "a: 1\n");
    writeFileSync(join(dir, ".photoferry.yaml.0123456789ab.tmp"), "partial");
    writeFileSync(join(dir, "unrelated.tmp"), "x");
    expect(new ConfigFile(path).removeStaleTempFiles()).toEqual([
      ".photoferry.yaml.0123456789ab.tmp",
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual(["photoferry.yaml", "unrelated.tmp"]);
  });

  it("is never truncated when the writing process is killed at random instants", async () => {
    // Run the real module in a child process: transpile it on the fly (it imports only node:*).
    const source = readFileSync(new URL("./config-file.ts", import.meta.url), "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(dir, "config-file.mjs"), js);
    const versions = ["a", "b"].map(
      (letter) => `# version ${letter}\n` + `key_${letter}: ${"x".repeat(80)}\n`.repeat(4000),
    );
    writeFileSync(path, versions[0]!);
    writeFileSync(
      join(dir, "writer.mjs"),
      `import { ConfigFile } from "./config-file.mjs";
       const versions = ${JSON.stringify(versions)};
       const file = new ConfigFile(${JSON.stringify(path)});
       for (let i = 1; ; i++) {
         const s = file.read();
         file.write(versions[i % 2], s.hash);
         if (i === 1) process.stdout.write("writing\\n");
       }`,
    );
    const seen = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, [join(dir, "writer.mjs")], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise((resolve) => child.stdout.once("data", resolve));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const text = readFileSync(path, "utf8");
      expect(versions).toContain(text);
      seen.add(text);
    }
    expect(seen.size, "the writer never got to write; the test proved nothing").toBe(2);
    new ConfigFile(path).removeStaleTempFiles();
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("resolveConfigPath", () => {
  it("prefers --config, then PHOTOFERRY_CONFIG, then /config/photoferry.yaml", () => {
    expect(resolveConfigPath("/a.yaml", { PHOTOFERRY_CONFIG: "/b.yaml" })).toBe("/a.yaml");
    expect(resolveConfigPath(undefined, { PHOTOFERRY_CONFIG: "/b.yaml" })).toBe("/b.yaml");
    expect(resolveConfigPath(undefined, {})).toBe("/config/photoferry.yaml");
  });
});
