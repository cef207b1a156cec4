import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64, parseParams, phcId, splitPhc } from "./phc.js";

describe("splitPhc", () => {
  it("splits with and without a version segment", () => {
    expect(splitPhc("$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA")).toEqual({
      id: "argon2id",
      version: "19",
      params: "m=8,t=1,p=1",
      salt: "c2FsdA",
      hash: "aGFzaA",
    });
    expect(splitPhc("$scrypt$ln=4,r=8,p=1$c2FsdA$aGFzaA")?.version).toBeUndefined();
  });

  it("rejects other shapes", () => {
    expect(splitPhc("scrypt$ln=4$a$b")).toBeNull();
    expect(splitPhc("$scrypt$ln=4$a")).toBeNull();
    expect(splitPhc("$scrypt$ln=4$a$b$c")).toBeNull();
    expect(splitPhc("$SCRYPT$ln=4$a$b")).toBeNull();
  });
});

describe("phcId", () => {
  it("reads the algorithm name", () => {
    expect(phcId("$2b$12$abc")).toBe("2b");
    expect(phcId("plain")).toBeNull();
  });
});

describe("parseParams", () => {
  it("parses exactly the named parameters in any order", () => {
    expect(parseParams("p=1,ln=4,r=8", ["ln", "r", "p"])).toEqual({ ln: 4, r: 8, p: 1 });
  });

  it("describes what is wrong", () => {
    expect(parseParams("ln=4,r=8", ["ln", "r", "p"])).toMatch(/lacks the parameter "p"/);
    expect(parseParams("ln=4,ln=4", ["ln"])).toMatch(/twice/);
    expect(parseParams("ln=99999999999", ["ln"])).toMatch(/parameter "ln=99999999999"/);
    expect(parseParams("", ["ln"])).toMatch(/parameter ""/);
  });
});

describe("base64", () => {
  it("round-trips without padding and refuses non-canonical text", () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5]);
    expect(encodeBase64(bytes)).toBe("AQIDBAU");
    expect(decodeBase64("AQIDBAU")).toEqual(bytes);
    expect(decodeBase64("AQIDBAU=")).toBeNull();
    expect(decodeBase64("AQIDBAV")).toBeNull();
    expect(decodeBase64("A")).toBeNull();
    expect(decodeBase64("")).toBeNull();
  });
});
