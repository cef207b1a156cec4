import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { readFileCache } from "../../simulators/nextcloud/simulated-nextcloud.js";
import type { RunningServe } from "../../service/serve.js";
import type { PhotoferryService, ServiceEvent } from "../../service/service-contract.js";
import { buildForChildProcess } from "../../test-support/child-build.js";
import { fakeIo } from "../../test-support/fake-io.js";
import { createDemoCommand } from "./demo.js";

const parent = mkdtempSync(join(tmpdir(), "photoferry-demo-test-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));
const env = { PHOTOFERRY_SECRETS_DIR: join(parent, "no-secrets") };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

function stopSwitch(): { untilStopped: () => Promise<void>; stop: () => void } {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return { untilStopped: () => stopped, stop };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
}

const jpegsBelow = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => /\.jpe?g$/i.test(p))
    : [];

/** A service that does nothing, for the console and clean-up paths. */
function idleServe(): RunningServe & { stopped: boolean; triggers: string[] } {
  const fake = {
    url: "http://127.0.0.1:1",
    stopped: false,
    triggers: [] as string[],
    service: {
      subscribe: (_listener: (event: ServiceEvent) => void) => () => {},
      trigger: (_trigger: string, reason: string) => {
        fake.triggers.push(reason);
        return { queued: true, queueLength: 1 };
      },
    } as unknown as PhotoferryService,
    stop: () => {
      fake.stopped = true;
      return Promise.resolve();
    },
  };
  return fake;
}

describe("photoferry demo", () => {
  it(
    "starts the service and ferries its photos, the dropped ones too",
    { timeout: 240_000 },
    async () => {
      const dir = join(parent, "kept");
      const stop = stopSwitch();
      const io = fakeIo(env);
      const port = await freePort();
      const running = createDemoCommand({
        programsDir: buildForChildProcess(),
        untilStopped: stop.untilStopped,
      }).run(["--dir", dir, "--interval", "2", "--port", String(port)], io);
      const originals = join(dir, "nextcloud/data/anna/files/Photo Library");
      try {
        // 5 distinct sample photos; a sixth is one the demo dropped while running.
        await until(
          "a dropped photo is in PhotoPrism's originals",
          () => jpegsBelow(originals).length >= 6,
          180_000,
        );
        await until(
          "Nextcloud's file cache shows the library's photos",
          () =>
            Object.keys(readFileCache(join(dir, "nextcloud"))).filter((p) =>
              /^\/anna\/files\/Photo Library\/.+\.jpe?g$/i.test(p),
            ).length >= 5,
          30_000,
        );
        const status = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as {
          totals: { moved: number };
        };
        expect(status.totals.moved).toBeGreaterThanOrEqual(6);
      } finally {
        stop.stop();
      }
      expect(await running).toBe(0);
      const out = io.out();
      expect(out).toContain(`Service running at http://127.0.0.1:${port}`);
      expect(out).toContain(`http://127.0.0.1:${port}/api/docs`);
      expect(out).toContain("o'brien jr/files/InstantUpload/IMG_0003.JPG");
      expect(out).toMatch(/📷 new photo: .+\/files\/InstantUpload\/IMG_0010\.JPG/);
      expect(out).toMatch(/→ run #\d+ \(demo started\): \d+ files ferried to PhotoPrism/);
      expect(out).toContain(`The sandbox stays in ${dir}`);
      expect(existsSync(join(dir, "photoferry.yaml"))).toBe(true);
      // The originals moved to the users' archives; the Live Photo's movie travelled too.
      expect(
        readdirSync(join(dir, "nextcloud/data/anna/files/Archived Photos"), { recursive: true }),
      ).toContain("InstantUpload/IMG_0001.MOV");
    },
  );

  it("removes its temp sandbox when stopped", async () => {
    const stop = stopSwitch();
    const io = fakeIo(env);
    const serve = idleServe();
    const running = createDemoCommand({
      programsDir: buildForChildProcess(),
      untilStopped: stop.untilStopped,
      startServe: () => Promise.resolve(serve),
    }).run(["--interval", "0.5"], io);
    await until("a photo is dropped", () => io.out().includes("📷 new photo"), 20_000);
    const dir = /sandbox in (\S+)/.exec(io.out())![1]!;
    expect(existsSync(join(dir, "photoferry.yaml"))).toBe(true);
    stop.stop();
    expect(await running).toBe(0);
    expect(serve.triggers).toEqual(["demo started"]);
    expect(serve.stopped).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(io.out()).toContain("Sandbox removed");
  });

  it("says why the service did not start, and cleans up", async () => {
    const io = fakeIo(env);
    const code = await createDemoCommand({
      programsDir: buildForChildProcess(),
      startServe: () => Promise.reject(new Error("listen EADDRINUSE: address already in use")),
    }).run([], io);
    expect(code).toBe(1);
    expect(io.err()).toContain("the service did not start: listen EADDRINUSE");
    expect(io.err()).toContain("try --port 8081");
    const dir = /sandbox in (\S+)/.exec(io.out())![1]!;
    expect(existsSync(dir)).toBe(false);
  });

  it("explains missing simulators (not built) and bad options", async () => {
    const io = fakeIo(env);
    expect(await createDemoCommand({ programsDir: join(parent, "nowhere") }).run([], io)).toBe(1);
    expect(io.err()).toContain("npm run build");
    for (const args of [
      ["--interval", "0"],
      ["--interval", "soon"],
      ["--port", "99999"],
    ]) {
      const bad = fakeIo(env);
      expect(await createDemoCommand().run(args, bad)).toBe(2);
      expect(bad.err()).toMatch(/--(interval|port) is/);
    }
  });

  it("refuses a --dir that already holds something", async () => {
    const io = fakeIo(env);
    const code = await createDemoCommand({ programsDir: buildForChildProcess() }).run(
      ["--dir", parent],
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain("is not empty");
    expect(existsSync(parent)).toBe(true);
  });
});
