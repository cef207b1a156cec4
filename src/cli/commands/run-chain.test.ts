import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CommandRecord } from "../../ledger/command-log.js";
import {
  readFileCache,
  readMemoriesIndex,
  setMaintenanceMode,
} from "../../simulators/nextcloud/simulated-nextcloud.js";
import {
  createAppPassword,
  readSimAlbums,
  startPhotoPrismSimServer,
  type RunningSimServer,
} from "../../simulators/photoprism/harness.js";
import { buildForChildProcess } from "../../test-support/child-build.js";
import { jpegWithExif } from "../../test-support/exif-jpeg.js";
import type { FerryWorld } from "../../test-support/ferry-world.js";
import { simulatedWorld } from "../../test-support/simulated-world.js";
import type { RunResult } from "./run-report.js";

// `run --once` through the whole chain, with local runners calling the simulators as real
// programs: the argv of every command and their order are what a real install would see.
let built: string;
beforeAll(() => {
  built = buildForChildProcess();
}, 120_000);

let world: FerryWorld | undefined;
let server: RunningSimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  world?.close();
  world = undefined;
});

const photo = (taken: string) =>
  jpegWithExif(
    { make: "Apple", model: "iPhone 15", taken, width: 4032, height: 3024 },
    randomBytes(4096),
  );

function chainWorld(trigger: "exec" | "api", api?: { url: string; token: string }) {
  const w = simulatedWorld(built, { trigger, ...(api ? { api } : {}) });
  world = w;
  return w;
}

const steps = (commands: CommandRecord[]) =>
  commands.map((c) =>
    `${c.step} ${c.argv.filter((a) => a.startsWith("--path") || a.startsWith("--user") || a.includes("/import/")).join(" ")}`.trim(),
  );

describe("run --once through the indexing chain", { timeout: 120_000 }, () => {
  it("imports with `photoprism import`, then scans the library, the user's folders and Memories", async () => {
    const w = chainWorld("exec");
    w.add("my user", "InstantUpload/Camera/IMG_1.jpg", photo("2024:06:01 12:00:00"));
    w.add("bob", "Photos/holiday.jpg", photo("2023:01:02 10:00:00"));
    const { code, out, err } = await w.run("--json");
    const result = JSON.parse(out) as RunResult;
    expect(result.indexing?.errors, err).toEqual([]);
    expect(code).toBe(0);
    const batch = result.pass!.batch!.batchId;
    expect(steps(result.commands)).toEqual([
      "status",
      `import ${join(w.importDir, batch)}`,
      "files:scan --path=/admin/files/Photo Library/2023/01",
      "files:scan --path=/admin/files/Photo Library/2024/06",
      "files:scan --path=/bob/files/Photos",
      "files:scan --path=/my user/files/InstantUpload/Camera",
      "files:scan --path=/bob/files/Archived Photos/Photos",
      "files:scan --path=/my user/files/Archived Photos/InstantUpload/Camera",
      "memories:index --help",
      "memories:index --user=admin --path=Photo Library/2023/01",
      "memories:index --user=admin --path=Photo Library/2024/06",
      "memories:index --user=bob --path=Archived Photos/Photos",
      "memories:index --user=my user --path=Archived Photos/InstantUpload/Camera",
    ]);
    // PhotoPrism filed them by date; Nextcloud knows them; the batch folder is gone.
    const cache = Object.keys(readFileCache(join(w.root, "nextcloud")));
    expect(
      cache.filter((p) => p.startsWith("/admin/files/Photo Library/") && p.endsWith(".jpg")),
    ).toEqual([
      expect.stringMatching(
        /^\/admin\/files\/Photo Library\/2023\/01\/20230102_100000_[0-9A-F]{8}\.jpg$/,
      ),
      expect.stringMatching(
        /^\/admin\/files\/Photo Library\/2024\/06\/20240601_120000_[0-9A-F]{8}\.jpg$/,
      ),
    ]);
    expect(cache).toContain("/my user/files/Archived Photos/InstantUpload/Camera/IMG_1.jpg");
    expect(cache).not.toContain("/my user/files/InstantUpload/Camera/IMG_1.jpg");
    const indexed = readMemoriesIndex(join(w.root, "nextcloud")).entries.map((e) => e.path);
    expect(indexed.filter((p) => p.includes("Photo Library"))).toHaveLength(2);
    expect(readdirSync(w.importDir)).toEqual([".photoferry"]);
    // A second pass has nothing left to do and runs no command but the status check.
    const again = JSON.parse((await w.run("--json")).out) as RunResult;
    expect(steps(again.commands)).toEqual(["status"]);
  });

  it("imports through PhotoPrism's API with an album per user, learning where files landed", async () => {
    // The server needs the world's folders; start it once the world exists.
    const w = chainWorld("api", { url: "http://127.0.0.1:9", token: "placeholder" });
    const storage = join(w.root, "photoprism", "storage");
    server = await startPhotoPrismSimServer({
      originalsPath: w.originalsDir,
      importPath: w.importDir,
      storagePath: storage,
    });
    const token = createAppPassword(storage, { name: "photoferry", scope: "*", user: "admin" });
    const config = readFileSync(w.configPath, "utf8");
    writeFileSync(
      w.configPath,
      config.replace("http://127.0.0.1:9", server.url).replace("placeholder", token),
    );
    w.add("my user", "InstantUpload/IMG_2.jpg", photo("2022:03:04 05:06:07"));
    const { code, out, err } = await w.run("--json");
    const result = JSON.parse(out) as RunResult;
    expect(result.indexing?.errors, err).toEqual([]);
    expect(code).toBe(0);
    const request = result.commands.find((c) => c.step === "import")!;
    expect(JSON.parse(request.argv[2]!)).toEqual({
      path: `${result.pass!.batch!.batchId}/my user`,
      move: true,
      albums: ["my user"],
    });
    expect(JSON.stringify(readSimAlbums(storage))).toContain("my user");
    // Looked up by SHA-1 in PhotoPrism's index: verified, not taken on trust.
    expect(result.indexing!.imports[0]!.summary).not.toMatch(/not verified/);
    expect(steps(result.commands)).toContain(
      "files:scan --path=/admin/files/Photo Library/2022/03",
    );
    expect(out).not.toContain(token);
  });

  it("moves nothing while Nextcloud is in maintenance mode", async () => {
    const w = chainWorld("exec");
    setMaintenanceMode(join(w.root, "nextcloud"), true);
    w.add("my user", "InstantUpload/IMG_3.jpg", photo("2024:01:01 00:00:00"));
    const { code, out } = await w.run();
    expect(code).toBe(1);
    expect(out).toMatch(/Nothing was moved: .*maintenance/i);
    expect(w.tree(w.dataDir).has("my user/files/InstantUpload/IMG_3.jpg")).toBe(true);
  });
});
