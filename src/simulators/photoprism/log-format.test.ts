import { describe, expect, it } from "vitest";
import { cleanLog, formatLogLine, goDuration, parseLogLevel, streamLogger } from "./log-format.js";

describe("formatLogLine", () => {
  it("writes logrus' no-TTY format with quoted values", () => {
    const at = new Date("2021-12-13T20:09:36.123Z");
    expect(formatLogLine("info", "import: moving main jpg file A.JPG to x.jpg", at)).toBe(
      'time="2021-12-13T20:09:36Z" level=info msg="import: moving main jpg file A.JPG to x.jpg"',
    );
    expect(formatLogLine("error", 'say "hi"\\', at)).toBe(
      'time="2021-12-13T20:09:36Z" level=error msg="say \\"hi\\"\\\\"',
    );
  });

  it("leaves simple values unquoted", () => {
    expect(formatLogLine("warning", "canceled", new Date(0))).toBe(
      'time="1970-01-01T00:00:00Z" level=warning msg=canceled',
    );
  });

  it("filters by level", () => {
    const lines: string[] = [];
    const logger = streamLogger((l) => lines.push(l), parseLogLevel("warn"));
    logger.log("info", "hidden");
    logger.log("error", "shown");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("level=error msg=shown");
  });
});

describe("cleanLog", () => {
  it("quotes names with spaces and replaces risky characters", () => {
    expect(cleanLog("")).toBe("''");
    expect(cleanLog("IMG_1.JPG")).toBe("IMG_1.JPG");
    expect(cleanLog("My Photo.jpg")).toBe("'My Photo.jpg'");
    expect(cleanLog("a`b$c{d}\\e<f>.jpg")).toBe("a'b?c?d??e?f?.jpg");
    expect(cleanLog("line\nbreak.jpg")).toBe("linebreak.jpg");
  });

  it("shortens very long names", () => {
    const out = cleanLog("x".repeat(600));
    expect([...out]).toHaveLength(512);
    expect(out.endsWith("…")).toBe(true);
  });
});

describe("goDuration", () => {
  it("prints like Go's time.Duration", () => {
    expect(goDuration(0)).toBe("0s");
    expect(goDuration(999)).toBe("999ns");
    expect(goDuration(1500)).toBe("1.5µs");
    expect(goDuration(12_345_678)).toBe("12.345678ms");
    expect(goDuration(2_000_000_000)).toBe("2s");
    expect(goDuration(61_500_000_000n)).toBe("1m1.5s");
    expect(goDuration(3_723_000_000_000n)).toBe("1h2m3s");
  });
});
