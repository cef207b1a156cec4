import { describe, expect, it } from "vitest";
import { findLeaks, leakForms } from "./leak-scan.js";

describe("findLeaks", () => {
  const secret = 's3cret/"Token+42?~';

  it("finds a secret raw, JSON-escaped, URL-encoded and in base64", () => {
    const texts = leakForms(secret).map((form, index) => ({
      where: `t${index}`,
      text: `a ${form} b`,
    }));
    expect(texts.length).toBe(5);
    const leaks = findLeaks(texts, { token: secret });
    expect(new Set(leaks.map((leak) => leak.where))).toEqual(new Set(texts.map((t) => t.where)));
    const basic = `Basic ${Buffer.from(secret).toString("base64")}`;
    expect(findLeaks([{ where: "header", text: basic }], { token: secret })).toHaveLength(1);
  });

  it("finds nothing in text without the secret, and says where it found one", () => {
    expect(findLeaks([{ where: "log", text: "token: {set: true}" }], { token: secret })).toEqual(
      [],
    );
    const [leak] = findLeaks([{ where: "GET /x", text: `…${secret}…` }], { token: secret });
    expect(leak).toMatchObject({ secret: "token", where: "GET /x", form: secret });
  });
});
