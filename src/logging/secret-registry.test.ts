import { describe, expect, it } from "vitest";
import { SecretRegistry } from "./secret-registry.js";

describe("SecretRegistry", () => {
  it("ignores empty, missing, too-short and repeated values", () => {
    const secrets = new SecretRegistry();
    secrets.add("");
    secrets.add(undefined);
    secrets.add(null);
    secrets.add("abc");
    expect(secrets.size).toBe(0);
    secrets.add("abcd");
    secrets.add("abcd");
    expect(secrets.size).toBe(1);
    expect(secrets.scrub("a abc abcd")).toBe("a abc [redacted]");
  });

  it("leaves text alone when empty", () => {
    expect(new SecretRegistry().scrub("token hunter2")).toBe("token hunter2");
  });

  it("scrubs every occurrence, treating regex characters literally", () => {
    const secrets = new SecretRegistry();
    secrets.add("a.b*c+d?");
    expect(secrets.scrub("x a.b*c+d? y a.b*c+d?")).toBe("x [redacted] y [redacted]");
    expect(secrets.scrub("aXbbbcdd")).toBe("aXbbbcdd");
  });

  it("prefers the longest secret when one contains another", () => {
    const secrets = new SecretRegistry();
    secrets.add("pass");
    secrets.add("password-123");
    expect(secrets.scrub("is password-123!")).toBe("is [redacted]!");
  });

  it("catches JSON-escaped forms in free text", () => {
    const secrets = new SecretRegistry();
    secrets.add('p"a\\ss');
    expect(secrets.scrub(JSON.stringify({ v: 'p"a\\ss' }))).toBe('{"v":"[redacted]"}');
    const twice = JSON.stringify(JSON.stringify({ v: 'p"a\\ss' }));
    expect(secrets.scrub(twice)).not.toContain("ss");
  });

  it("scrubJson keeps the line valid JSON and decodes escapes", () => {
    const secrets = new SecretRegistry();
    secrets.add('q"uo\\te');
    const line = JSON.stringify({ msg: 'the q"uo\\te here', nested: { a: ['q"uo\\te'] } }) + "\n";
    const scrubbed = secrets.scrubJson(line);
    expect(scrubbed.endsWith("\n")).toBe(true);
    expect(JSON.parse(scrubbed)).toEqual({
      msg: "the [redacted] here",
      nested: { a: ["[redacted]"] },
    });
  });

  it("scrubJson touches only string literals, so numbers and keywords stay valid JSON", () => {
    const secrets = new SecretRegistry();
    secrets.add("1234");
    secrets.add("true");
    const line = JSON.stringify({ count: 12345, ok: true, msg: "pin 1234 is true" });
    expect(secrets.scrub(line)).toBe(
      '{"count":[redacted]5,"ok":[redacted],"msg":"pin [redacted] is [redacted]"}',
    );
    expect(JSON.parse(secrets.scrubJson(line))).toEqual({
      count: 12345,
      ok: true,
      msg: "pin [redacted] is [redacted]",
    });
  });

  it("scrubJson also catches a secret inside JSON text logged as a string", () => {
    const secrets = new SecretRegistry();
    secrets.add('x"y\\z!');
    const body = JSON.stringify({ password: 'x"y\\z!' });
    const line = JSON.stringify({ responseBody: body });
    expect(JSON.parse(secrets.scrubJson(line))).toEqual({
      responseBody: '{"password":"[redacted]"}',
    });
  });

  it("scrubJson returns the same string when nothing matches", () => {
    const secrets = new SecretRegistry();
    secrets.add("secret-value");
    const line = '{"a":"b"}\n';
    expect(secrets.scrubJson(line)).toBe(line);
  });
});
