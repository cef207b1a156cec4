import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  InvalidLogLevelError,
  createLogger,
  resolveLogLevel,
  type LoggerOptions,
} from "./logger.js";
import { SecretRegistry } from "./secret-registry.js";

type Line = Record<string, unknown> & { level: string; msg?: string };

function capture(options: Omit<LoggerOptions, "destination"> = {}) {
  const chunks: string[] = [];
  const logger = createLogger({
    env: {},
    ...options,
    destination: { write: (s: string) => chunks.push(s) },
  });
  const raw = (): string => chunks.join("");
  const lines = (): Line[] =>
    raw()
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Line);
  return { logger, raw, lines };
}

describe("createLogger levels", () => {
  it("writes JSON lines with a level label, ISO time and message, filtered by level", () => {
    const { logger, lines } = capture({ level: "warn" });
    logger.info("hidden");
    logger.warn("shown");
    logger.error({ runId: 7 }, "also shown");
    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      ["warn", "shown"],
      ["error", "also shown"],
    ]);
    expect(lines()[1]).toMatchObject({ runId: 7 });
    expect(Date.parse(String(lines()[0]?.time))).not.toBeNaN();
  });

  it("defaults to info", () => {
    const { logger, lines } = capture();
    logger.debug("hidden");
    logger.info("shown");
    expect(lines().map((line) => line.msg)).toEqual(["shown"]);
  });

  it("reads PHOTOFERRY_LOG_LEVEL when no level is given, ignoring case and spaces", () => {
    const { logger, lines } = capture({ env: { PHOTOFERRY_LOG_LEVEL: " Debug " } });
    logger.trace("hidden");
    logger.debug("shown");
    expect(lines().map((line) => line.msg)).toEqual(["shown"]);
  });

  it("prefers the level option over the environment", () => {
    expect(resolveLogLevel("error", { PHOTOFERRY_LOG_LEVEL: "debug" })).toBe("error");
    expect(resolveLogLevel(undefined, { PHOTOFERRY_LOG_LEVEL: "" })).toBe("info");
  });

  it("lets PHOTOFERRY_LOG_LEVEL override the config file's log.level", () => {
    expect(resolveLogLevel(undefined, {}, "warn")).toBe("warn");
    expect(resolveLogLevel(undefined, { PHOTOFERRY_LOG_LEVEL: "debug" }, "warn")).toBe("debug");
    const { logger, lines } = capture({ env: {}, configLevel: "warn" });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines().map((line) => line.msg)).toEqual(["shown"]);
  });

  it("rejects an invalid level with a clear error", () => {
    expect(() => createLogger({ env: { PHOTOFERRY_LOG_LEVEL: "verbose" } })).toThrow(
      'PHOTOFERRY_LOG_LEVEL is "verbose", which is not a log level; use one of: trace, debug, info, warn, error, fatal, silent',
    );
    expect(() => createLogger({ level: "loud" as never, env: {} })).toThrow(InvalidLogLevelError);
  });

  it("accepts a Node writable stream as destination", () => {
    const stream = new PassThrough();
    const logger = createLogger({ env: {}, destination: stream });
    logger.info("to a stream");
    expect(JSON.parse(String(stream.read()))).toMatchObject({ msg: "to a stream" });
  });
});

describe("createLogger key redaction", () => {
  it("censors secret-named keys down to three levels, also in child bindings", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: "t0",
        password: "p0",
        user: { passwordHash: "h1", name: "ann" },
        request: { headers: { authorization: "Bearer x", cookie: "sid=1", accept: "*/*" } },
        ssh: { privateKey: "k1", key: "k2" },
        a: { b: { c: { secret: "too deep" } } },
      },
      "request",
    );
    logger.child({ photoprism: { token: "c1" } }).info("child");
    const [first, second] = lines();
    expect(first).toMatchObject({
      token: "[redacted]",
      password: "[redacted]",
      user: { passwordHash: "[redacted]", name: "ann" },
      request: { headers: { authorization: "[redacted]", cookie: "[redacted]", accept: "*/*" } },
      ssh: { privateKey: "[redacted]", key: "[redacted]" },
    });
    // Depth 4 is past the key rule; only the value scrubber could catch it.
    expect(first).toMatchObject({ a: { b: { c: { secret: "too deep" } } } });
    expect(second).toMatchObject({ photoprism: { token: "[redacted]" } });
  });
});

describe("createLogger value scrubbing", () => {
  const secret = "s3cr3t-T0KEN-value";

  function withSecret() {
    const secrets = new SecretRegistry();
    secrets.add(secret);
    return { secrets, ...capture({ secrets }) };
  }

  it("scrubs a secret from the message and nested values", () => {
    const { logger, raw, lines } = withSecret();
    logger.info({ config: { nextcloud: { url: `https://u:${secret}@cloud` } } }, `using ${secret}`);
    expect(raw()).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      msg: "using [redacted]",
      config: { nextcloud: { url: "https://u:[redacted]@cloud" } },
    });
  });

  it("scrubs a secret from an error's message and stack", () => {
    const { logger, raw, lines } = withSecret();
    logger.error({ err: new Error(`login failed for ${secret}`) }, "photoprism import failed");
    logger.error(new Error(`bare ${secret}`));
    expect(raw()).not.toContain(secret);
    const [withErr, bare] = lines() as [Line & { err: Record<string, string> }, Line];
    expect(withErr.err.message).toBe("login failed for [redacted]");
    expect(withErr.err.stack).toContain("Error: login failed for [redacted]");
    expect(bare.msg).toBe("bare [redacted]");
  });

  it("scrubs secrets registered after the logger was made, in child loggers too", () => {
    const secrets = new SecretRegistry();
    const { logger, raw, lines } = capture({ secrets });
    const child = logger.child({ component: "ntfy" });
    secrets.add("late-secret-123");
    child.warn("sending with late-secret-123");
    expect(raw()).not.toContain("late-secret-123");
    expect(lines()[0]).toMatchObject({ component: "ntfy", msg: "sending with [redacted]" });
  });

  it("scrubs secrets that JSON escapes (quotes and backslashes)", () => {
    const tricky = 'pa"ss\\wo"rd';
    const secrets = new SecretRegistry();
    secrets.add(tricky);
    const { logger, raw, lines } = capture({ secrets });
    logger.info({ detail: { note: `x ${tricky} y` } }, `msg ${tricky}`);
    logger.error(new Error(`err ${tricky}`));
    const output = raw();
    expect(output).not.toContain(JSON.stringify(tricky).slice(1, -1));
    expect(output).not.toContain('wo\\"rd');
    const [info, error] = lines() as [Line, Line & { err: { message: string; stack: string } }];
    expect(info).toMatchObject({ msg: "msg [redacted]", detail: { note: "x [redacted] y" } });
    expect(error.err.message).toBe("err [redacted]");
    expect(error.err.stack).not.toContain('wo"rd');
  });

  it("leaves lines alone when no secret matches", () => {
    const { logger, lines } = withSecret();
    logger.info({ path: "/photos/ann/IMG_1.jpg" }, "moved");
    expect(lines()[0]).toMatchObject({ path: "/photos/ann/IMG_1.jpg", msg: "moved" });
  });
});
