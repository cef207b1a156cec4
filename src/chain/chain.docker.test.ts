import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../cli/commands/run-report.js";
import type { CommandRecord } from "../ledger/command-log.js";
import { createRunner, photoprismExecTarget } from "../runners/create-runner.js";
import { RunnerError } from "../runners/runner.js";
import { BASE_IMAGE } from "../test-support/docker/base-image.js";
import {
  dockerUnavailableReason,
  serviceStateArgs,
  startDockerEngine,
  type TestDockerEngine,
} from "../test-support/docker/docker-engine.js";
import { passAndChain } from "../test-support/docker/drive-chain.js";
import { startSocketRelay } from "../test-support/docker/socket-relay.js";
import { ensureStandInImages } from "../test-support/docker/standin-images.js";
import { StandInSite } from "../test-support/docker/standin-site.js";
import { hash } from "../test-support/ferry-world.js";
import { jpegWithExif } from "../test-support/exif-jpeg.js";
import { ChainServices } from "./build-chain.js";
import { PhotoPrismImporter } from "./photoprism-importer.js";
import { StateStore } from "../state/state-store.js";
import { createLogger } from "../logging/logger.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { nodeTransferFs } from "../transfer/transfer-fs.js";
import { hashFile } from "../hashing/hash-file.js";

const unavailable = dockerUnavailableReason();
if (unavailable) {
  console.warn(`\n!!! SKIPPING the real-Docker indexing chain tests: ${unavailable} !!!\n`);
}

const photo = (taken: string) =>
  jpegWithExif(
    { make: "Apple", model: "iPhone 15", taken, width: 4032, height: 3024 },
    randomBytes(4096),
  );

/** Each command as `<step> <its path-like arguments>`, to check what ran in which order. */
const steps = (commands: CommandRecord[]) =>
  commands.map((c) =>
    `${c.step} ${c.argv
      .filter(
        (a) => a.startsWith("--path") || a.startsWith("--user") || a.startsWith("/photoprism/"),
      )
      .join(" ")}`.trim(),
  );

/** A fast retry policy for driven chains (`run --once` waits 2–16 s between five attempts). */
const FAST_RETRY = { attempts: 3, firstDelayMs: 100, maxDelayMs: 300 };
const quiet = createLogger({ level: "silent", env: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(unavailable !== null)("indexing chain against a real Docker engine", () => {
  let engine: TestDockerEngine;
  let site: StandInSite;
  const docker = (...args: string[]) =>
    execFileSync("docker", args, { env: engine.cliEnv, encoding: "utf8", stdio: "pipe" });
  /** Files ferried into `dir`'s dated folders, by content hash. */
  const inOriginals = () => new Set(site.tree(site.originalsDir).values());

  beforeAll(async () => {
    const started = Date.now();
    // The default umask (022): photoferry gives the batch folders to PhotoPrism's uid, so
    // PhotoPrism (uid 1000) can move the files out without any help.
    engine = await startDockerEngine();
    const images = await ensureStandInImages(engine);
    console.log(`engine and stand-in images ready in ${Date.now() - started} ms`);
    site = new StandInSite(engine, images);
    await Promise.all([
      site.startContainer("nextcloud", "nextcloud"),
      site.startContainer("photoprism", "photoprism"),
    ]);
    console.log(`containers running after ${Date.now() - started} ms`);
  }, 300_000);

  afterAll(async () => {
    await engine?.stop();
    site?.close();
  }, 90_000);

  describe("plain Docker containers", () => {
    it(
      "ferries two users' photos, imports them by date, scans and indexes; a second run does nothing",
      { timeout: 60_000 },
      async () => {
        const ferry = site.ferry({ users: ["alice", "my user"] });
        const one = site.add(
          "alice",
          "InstantUpload/Camera/IMG_1.jpg",
          photo("2024:06:01 12:00:00"),
        );
        const two = site.add("my user", "Photos/holiday.jpg", photo("2023:01:02 10:00:00"));
        const { code, out, err } = await ferry.run("--json");
        const result = JSON.parse(out) as RunResult;
        expect(result.indexing?.errors, err).toEqual([]);
        expect(code).toBe(0);
        const batch = result.pass!.batch!.batchId;
        const ran = steps(result.commands);
        expect(ran.slice(0, 4)).toEqual([
          "status",
          `import /photoprism/import/${batch}`,
          "files:scan --path=/admin/files/Photo Library/2023/01",
          "files:scan --path=/admin/files/Photo Library/2024/06",
        ]);
        // The users' folders after the library, in the scan plan's order (not pinned here).
        expect(ran.slice(4, 8).sort()).toEqual([
          "files:scan --path=/alice/files/Archived Photos/InstantUpload/Camera",
          "files:scan --path=/alice/files/InstantUpload/Camera",
          "files:scan --path=/my user/files/Archived Photos/Photos",
          "files:scan --path=/my user/files/Photos",
        ]);
        expect(ran.slice(8)).toEqual([
          "memories:index --help",
          "memories:index --user=admin --path=Photo Library/2023/01",
          "memories:index --user=admin --path=Photo Library/2024/06",
          "memories:index --user=alice --path=Archived Photos/InstantUpload/Camera",
          "memories:index --user=my user --path=Archived Photos/Photos",
        ]);
        // Every command went to the right container. (The first command of each runner is
        // logged with the runner's description from before it found its target.)
        const targets = result.commands.map((c) => c.target);
        expect(targets.at(-1)).toBe("docker container nextcloud");
        for (const [i, command] of result.commands.entries()) {
          const app = command.app === "nextcloud" ? "nextcloud" : "photoprism";
          expect(targets[i]).toMatch(new RegExp(`^docker (container )?${app}\\b`));
        }
        const library = site.fileCache().filter((p) => p.startsWith("/admin/files/Photo Library/"));
        expect(library.filter((p) => p.endsWith(".jpg"))).toEqual([
          expect.stringMatching(
            /^\/admin\/files\/Photo Library\/2023\/01\/20230102_100000_[0-9A-F]{8}\.jpg$/,
          ),
          expect.stringMatching(
            /^\/admin\/files\/Photo Library\/2024\/06\/20240601_120000_[0-9A-F]{8}\.jpg$/,
          ),
        ]);
        expect(site.fileCache()).toContain("/my user/files/Archived Photos/Photos/holiday.jpg");
        expect(site.memoriesIndexed()).toEqual(
          expect.arrayContaining([...library.filter((p) => p.endsWith(".jpg"))]),
        );
        expect(inOriginals()).toEqual(new Set([hash(one), hash(two)]));
        expect(readdirSync(site.importDir)).toEqual([".photoferry"]);
        const again = JSON.parse((await ferry.run("--json")).out) as RunResult;
        expect(steps(again.commands)).toEqual(["status"]);
      },
    );
  });

  describe("faults: a clear error, and every photo still recoverable", () => {
    /** Nothing moved: the photo is still in the user's folder, no batch was made. */
    const untouched = (user: string, below: string, content: Buffer) => {
      expect(site.tree(join(site.dataDir, user, "files")).get(below)).toBe(hash(content));
      expect(readdirSync(site.importDir)).toEqual([".photoferry"]);
    };

    it("moves nothing when the nextcloud container is missing", async () => {
      const content = site.add("dave", "Photos/a.jpg", photo("2022:02:02 02:02:02"));
      const { code, out } = await site
        .ferry({ users: ["dave"], occContainer: "nextcloud-gone" })
        .run();
      expect(code).toBe(1);
      expect(out).toMatch(/^✗ Nothing was moved: occ could not be run: .*nextcloud-gone/);
      untouched("dave", "Photos/a.jpg", content);
    });

    it("moves nothing when occ runs as the wrong user, and names uid 33", async () => {
      const content = site.add("erin", "Photos/b.jpg", photo("2022:02:02 02:02:03"));
      const { code, out } = await site.ferry({ users: ["erin"], occUser: "0" }).run();
      expect(code).toBe(1);
      expect(out).toMatch(/^✗ Nothing was moved: /);
      expect(out).toContain("33");
      untouched("erin", "Photos/b.jpg", content);
    });

    it("moves nothing while Nextcloud is in maintenance mode", async () => {
      const content = site.add("fred", "Photos/c.jpg", photo("2022:02:02 02:02:04"));
      const occ = ["exec", "-u", "33", "nextcloud", "php", "/var/www/html/occ"];
      docker(...occ, "maintenance:mode", "--on");
      try {
        const { code, out } = await site.ferry({ users: ["fred"] }).run();
        expect(code).toBe(1);
        expect(out).toMatch(/^✗ Nothing was moved: .*maintenance/i);
      } finally {
        docker(...occ, "maintenance:mode", "--off");
      }
      untouched("fred", "Photos/c.jpg", content);
    });

    it("retries occ in a restarting container, then says it is restarting", async () => {
      await site.startContainer("nextcloud-restarting", "nextcloud", {
        image: BASE_IMAGE,
        cmd: ["false"],
        restart: true,
      });
      for (let i = 0; i < 100; i++) {
        const info = await engine.docker.getContainer("nextcloud-restarting").inspect();
        if (info.RestartCount >= 3 && info.State.Restarting) break;
        await sleep(100);
      }
      const config = site.ferry({ occContainer: "nextcloud-restarting" }).config();
      const store = StateStore.open(config.state.dir);
      const services = new ChainServices(config, store, quiet, { retry: FAST_RETRY });
      try {
        const error: unknown = await services.nextcloud!.check().then(
          () => new Error("expected occ status to fail"),
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(RunnerError);
        expect(error).toMatchObject({ code: "target-restarting", transient: true });
        expect((error as RunnerError).message).toContain("nextcloud-restarting");
        const attempts = services.commandLog.since(0).map((c) => [c.step, c.attempt, c.ok]);
        expect(attempts).toEqual([
          ["status", 1, false],
          ["status", 2, false],
          ["status", 3, false],
        ]);
      } finally {
        await services.close();
        store.close();
      }
    });

    /** Runs `fn` with PhotoPrism's originals folder read-only: PhotoPrism cannot file photos. */
    const withOriginalsReadOnly = async <T>(fn: () => Promise<T>): Promise<T> => {
      const mode = statSync(site.originalsDir).mode & 0o7777;
      chmodSync(site.originalsDir, 0o555);
      try {
        return await fn();
      } finally {
        chmodSync(site.originalsDir, mode);
      }
    };

    it(
      "an import PhotoPrism refuses as a whole stays in its batch folder until it can be done",
      { timeout: 60_000 },
      async () => {
        const ferry = site.ferry({ users: ["gina"] });
        // A year no other test uses: its folder must be made, and that is refused. A refusal of
        // the whole batch is retried on every pass (it is not the files' fault): no quarantine.
        const content = site.add("gina", "Photos/d.jpg", photo("2019:05:05 05:05:05"));
        const runs = await withOriginalsReadOnly(async () => [
          await ferry.run("--json"),
          await ferry.run("--json"),
          await ferry.run("--json"),
        ]);
        const results = runs.map((run) => JSON.parse(run.out) as RunResult);
        const batch = results[0]!.pass!.batch!.batchId;
        for (const [i, result] of results.entries()) {
          expect(runs[i]!.code).toBe(1);
          expect(result.indexing!.imports).toEqual([
            expect.objectContaining({ batchId: batch, status: "retry" }),
          ]);
          expect(result.indexing!.errors).toEqual([
            expect.stringMatching(
              new RegExp(
                `^PhotoPrism did not import batch ${batch}: .*EACCES.*/photoprism/originals/2019`,
              ),
            ),
          ]);
        }
        expect(site.tree(join(site.importDir, batch)).get("gina/Photos/d.jpg")).toBe(hash(content));
        const fixed = await ferry.run();
        expect(fixed.out).toContain(`Indexed: ${batch}`);
        expect(fixed.code).toBe(0);
        expect(inOriginals()).toContain(hash(content));
        expect(site.fileCache()).toContain("/gina/files/Archived Photos/Photos/d.jpg");
      },
    );

    /** `photoprism import` processes running in the photoprism container. */
    const importsRunning = async () => {
      const top = (await engine.docker.getContainer("photoprism").top()) as {
        Processes?: string[][];
      };
      return (top.Processes ?? []).filter((row) =>
        row.join(" ").includes("photoprism-sim.js import"),
      ).length;
    };
    const waitFor = async (what: string, condition: () => Promise<boolean>) => {
      for (let i = 0; i < 300; i++) {
        if (await condition()) return;
        await sleep(100);
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    it(
      "an import over its time limit is stopped and retried; the next pass finishes the batch",
      { timeout: 60_000 },
      async () => {
        // First a pass whose import cannot start (PhotoPrism's container is missing).
        const missing = site.ferry({ users: ["ivy"], photoprismContainer: "photoprism-gone" });
        const content = site.add("ivy", "Photos/f.jpg", photo("2021:03:03 03:03:03"));
        const first = await missing.run("--json");
        expect(first.code).toBe(1);
        const result = JSON.parse(first.out) as RunResult;
        const batch = result.pass!.batch!.batchId;
        expect(result.indexing!.errors).toEqual([
          expect.stringMatching(/^PhotoPrism import of batch \S+ failed: .*photoprism-gone/),
        ]);
        expect(site.tree(join(site.importDir, batch)).get("ivy/Photos/f.jpg")).toBe(hash(content));

        // Then the chain with a PhotoPrism that takes 20 s a file and a 1.5 s time limit
        // (photoprism.timeoutMinutes takes whole minutes: the importer is built here).
        const slow = site.ferry({
          users: ["ivy"],
          stateDir: missing.stateDir,
          photoprismCommand: ["env", "PHOTOPRISM_SIM_DELAY_PER_FILE_MS=20000", "photoprism"],
        });
        const config = slow.config();
        const runner = createRunner(config, photoprismExecTarget(config));
        const started = Date.now();
        const driven = await passAndChain(config, { retry: FAST_RETRY }, (deps, parts) => ({
          ...deps,
          importer: new PhotoPrismImporter({
            photoprism: { ...config.photoprism, timeoutMinutes: 1.5 / 60 },
            via: "exec",
            runner,
            settleMs: 200,
            queue: parts.services.queue,
            log: parts.services.commandLog,
            library: new LibraryFiles(parts.store.connection),
            fs: nodeTransferFs,
            hash: (path) => hashFile(path),
            now: Date.now,
            logger: quiet,
          }),
        })).finally(() => runner.close());
        expect(Date.now() - started).toBeLessThan(15_000);
        const importRecord = driven.commands.find((c) => c.step === "import")!;
        expect(importRecord).toMatchObject({ timedOut: true, ok: false, exitCode: null });
        expect(driven.chain.imports).toEqual([
          expect.objectContaining({ batchId: batch, status: "retry" }),
        ]);
        expect(driven.chain.errors).toEqual([expect.stringContaining(`batch ${batch}`)]);
        expect(await importsRunning()).toBe(0);
        expect(site.tree(join(site.importDir, batch)).get("ivy/Photos/f.jpg")).toBe(hash(content));

        const last = await site.ferry({ users: ["ivy"], stateDir: missing.stateDir }).run();
        expect(last.out).toContain(`Indexed: ${batch}`);
        expect(last.code).toBe(0);
        expect(inOriginals()).toContain(hash(content));
      },
    );

    it(
      "the Docker daemon going away mid-import is reported; the next run finishes the batch",
      { timeout: 90_000 },
      async () => {
        const relay = await startSocketRelay(engine.socketPath, join(site.root, "relay.sock"));
        const viaRelay = site.ferry({
          users: ["jack"],
          dockerHost: `unix://${relay.socketPath}`,
          photoprismCommand: ["env", "PHOTOPRISM_SIM_DELAY_PER_FILE_MS=1500", "photoprism"],
        });
        const a = site.add("jack", "Photos/g.jpg", photo("2020:07:07 07:07:07"));
        const b = site.add("jack", "Photos/h.jpg", photo("2020:07:08 07:07:07"));
        const running = passAndChain(viaRelay.config(), { retry: FAST_RETRY });
        await waitFor("the import to start", async () => (await importsRunning()) > 0);
        await relay.cut();
        const driven = await running;
        expect(driven.chain.imports).toEqual([expect.objectContaining({ status: "failed" })]);
        expect(driven.chain.errors).toEqual([
          expect.stringMatching(/^PhotoPrism import of batch \S+ failed: .*(Docker|daemon)/i),
        ]);
        // The import goes on inside the container; once it is done, run again directly.
        await waitFor("the cut-off import to end", async () => (await importsRunning()) === 0);
        const next = await site.ferry({ users: ["jack"], stateDir: viaRelay.stateDir }).run();
        expect(next.out).toContain("Indexed: ");
        expect(next.code).toBe(0);
        expect(inOriginals()).toEqual(expect.objectContaining({}));
        expect([...inOriginals()]).toEqual(expect.arrayContaining([hash(a), hash(b)]));
        expect(site.fileCache()).toContain("/jack/files/Archived Photos/Photos/h.jpg");
      },
    );
  });

  describe("a single-node Swarm stack", () => {
    const stack = "pf";
    const running = (service: string) =>
      docker(...serviceStateArgs(`${stack}_${service}`)).startsWith("Running");

    beforeAll(async () => {
      const started = Date.now();
      docker("swarm", "init", "--advertise-addr", "127.0.0.1");
      const compose = join(site.root, "stack.yaml");
      writeFileSync(compose, JSON.stringify({ version: "3.8", services: site.stackServices() }));
      // The images are local: the registry look-up fails with a warning only.
      // No --detach: Debian's docker 20.10 CLI does not know it; newer ones detach by default.
      docker("stack", "deploy", "-c", compose, stack);
      for (let i = 0; !(running("nextcloud") && running("photoprism")); i++) {
        if (i > 600) throw new Error(`the stack did not start:\n${docker("stack", "ps", stack)}`);
        await sleep(200);
      }
      console.log(`swarm stack running in ${Date.now() - started} ms`);
    }, 180_000);

    it(
      "reaches the stack's services by name and the chain passes",
      { timeout: 60_000 },
      async () => {
        const ferry = site.ferry({
          users: ["kate"],
          occContainer: `${stack}_nextcloud`,
          photoprismContainer: `${stack}_photoprism`,
          swarm: "auto",
        });
        const content = site.add("kate", "InstantUpload/i.jpg", photo("2017:08:08 08:08:08"));
        const { code, out, err } = await ferry.run("--json");
        const result = JSON.parse(out) as RunResult;
        expect(result.indexing?.errors, err).toEqual([]);
        expect(code).toBe(0);
        expect(steps(result.commands)).toEqual([
          "status",
          `import /photoprism/import/${result.pass!.batch!.batchId}`,
          "files:scan --path=/admin/files/Photo Library/2017/08",
          "files:scan --path=/kate/files/InstantUpload",
          "files:scan --path=/kate/files/Archived Photos/InstantUpload",
          "memories:index --help",
          "memories:index --user=admin --path=Photo Library/2017/08",
          "memories:index --user=kate --path=Archived Photos/InstantUpload",
        ]);
        expect(result.commands.at(-1)!.target).toMatch(
          new RegExp(`^swarm service ${stack}_nextcloud \\(task \\w{12} on node \\w{12}\\)$`),
        );
        expect(result.commands.map((c) => c.target)).toContainEqual(
          expect.stringMatching(new RegExp(`^(swarm service|docker) ${stack}_photoprism`)),
        );
        expect(inOriginals()).toContain(hash(content));
      },
    );
  });
});
