import { describe, expect, it } from "vitest";
import { argon2Available } from "./kdf.js";
import {
  describePasswordHashProblem,
  hashPassword,
  PasswordHashFormatError,
  verifyPassword,
} from "./password-hash.js";

const FAST = { ln: 4 };
// RFC 7914 §12, fourth vector, written in PHC form.
const RFC7914 =
  "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw";
// The argon2 reference implementation's README example (password "password").
const ARGON2_REFERENCE =
  "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
const SALT = "c29tZXNhbHRzb21lc2FsdA"; // 16 bytes
const KEY = "Q0hBUkdFQ0hBUkdFQ0hBUkdFQ0hBUkdFQ0hBUkdFMTI"; // 32 bytes

describe("hashPassword / verifyPassword", () => {
  it("round-trips and rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse", FAST);
    expect(hash).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(describePasswordHashProblem(hash)).toBeNull();
    await expect(verifyPassword("correct horse", hash)).resolves.toBe(true);
    await expect(verifyPassword("correct horsf", hash)).resolves.toBe(false);
    await expect(verifyPassword("", hash)).resolves.toBe(false);
  });

  it("uses the default cost ln=17 (which needs maxmem raised)", async () => {
    const hash = await hashPassword("default cost");
    expect(hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    await expect(verifyPassword("default cost", hash)).resolves.toBe(true);
  });

  it("uses a fresh salt each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same", FAST), hashPassword("same", FAST)]);
    expect(a.split("$")[3]).not.toBe(b.split("$")[3]);
    expect(a).not.toBe(b);
  });

  it("verifies an RFC 7914 test vector", async () => {
    await expect(verifyPassword("pleaseletmein", RFC7914)).resolves.toBe(true);
    await expect(verifyPassword("pleaseletmeout", RFC7914)).resolves.toBe(false);
  });

  it("treats the composed and decomposed forms of a character as the same password", async () => {
    const hash = await hashPassword("caf\u00e9", FAST);
    await expect(verifyPassword("cafe\u0301", hash)).resolves.toBe(true);
  });

  it("tolerates a trailing newline around the stored hash", async () => {
    const hash = await hashPassword("newline", FAST);
    expect(describePasswordHashProblem(`${hash}\n`)).toBeNull();
    await expect(verifyPassword("newline", `  ${hash}\r\n`)).resolves.toBe(true);
  });

  it("refuses an empty password and out-of-range costs", async () => {
    await expect(hashPassword("")).rejects.toThrow(/password is empty/);
    await expect(hashPassword("x", { ln: 0 })).rejects.toThrow(RangeError);
    await expect(hashPassword("x", { ln: 21 })).rejects.toThrow(/1 to 20/);
    await expect(hashPassword("x", { ln: 4.5 })).rejects.toThrow(RangeError);
  });

  it("throws PasswordHashFormatError for a malformed hash", async () => {
    const error = await verifyPassword("pw", "hunter2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordHashFormatError);
    expect((error as PasswordHashFormatError).problem).toMatch(/^is not a password hash from/);
    expect((error as Error).message).toMatch(/^The password hash is not a password hash from/);
  });
});

describe("describePasswordHashProblem", () => {
  const cases: [string, string, RegExp][] = [
    ["empty", "", /^is empty/],
    ["blank", "  \n", /^is empty/],
    ["a plain password", "hunter2", /not a password hash from `photoferry hash-password`/],
    ["bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", /"2b" hash/],
    ["argon2i", `$argon2i$v=19$m=65536,t=2,p=1$${SALT}$${KEY}`, /"argon2i" hash.*cannot check/],
    ["cut short", `$scrypt$ln=4,r=8,p=1$${SALT}`, /damaged scrypt hash.*cut short/],
    ["a version in scrypt", `$scrypt$v=1$ln=4,r=8,p=1$${SALT}$${KEY}`, /damaged scrypt/],
    ["an unknown parameter", `$scrypt$ln=4,r=8,x=1$${SALT}$${KEY}`, /parameter "x=1"/],
    ["a duplicate parameter", `$scrypt$ln=4,r=8,r=8,p=1$${SALT}$${KEY}`, /"r" twice/],
    ["a missing parameter", `$scrypt$ln=4,r=8$${SALT}$${KEY}`, /lacks the parameter "p"/],
    ["a leading zero", `$scrypt$ln=04,r=8,p=1$${SALT}$${KEY}`, /parameter "ln=04"/],
    ["a negative value", `$scrypt$ln=-4,r=8,p=1$${SALT}$${KEY}`, /parameter "ln=-4"/],
    ["padded base64", `$scrypt$ln=4,r=8,p=1$${SALT}==$${KEY}`, /salt is not unpadded base64/],
    ["url-safe base64", `$scrypt$ln=4,r=8,p=1$${SALT}$${KEY.slice(0, -1)}_`, /hash part is not/],
    ["non-canonical base64", `$scrypt$ln=4,r=8,p=1$${SALT.slice(0, -1)}B$${KEY}`, /salt is not/],
    ["a short salt", `$scrypt$ln=4,r=8,p=1$c2FsdA$${KEY}`, /salt is 4 bytes/],
    ["a short hash", `$scrypt$ln=4,r=8,p=1$${SALT}$c2hvcnQ`, /hash part is 5 bytes/],
    ["ln above 20", `$scrypt$ln=21,r=8,p=1$${SALT}$${KEY}`, /refuses \(ln=21 is outside 1…20\)/],
    ["ln of 0", `$scrypt$ln=0,r=8,p=1$${SALT}$${KEY}`, /ln=0 is outside/],
    ["a huge r", `$scrypt$ln=10,r=1000,p=1$${SALT}$${KEY}`, /r=1000 is outside/],
    ["a huge p", `$scrypt$ln=10,r=8,p=9999999$${SALT}$${KEY}`, /p=9999999 is outside/],
    ["too much work", `$scrypt$ln=20,r=16,p=1$${SALT}$${KEY}`, /together cost more/],
    ["argon2id without v=", `$argon2id$m=65536,t=2,p=1$${SALT}$${KEY}`, /version 16/],
    ["argon2id v=16", `$argon2id$v=16$m=65536,t=2,p=1$${SALT}$${KEY}`, /only v=19/],
    ["argon2id damaged", `$argon2id$v=19$m=65536,t=2$${SALT}$${KEY}`, /damaged argon2id/],
    ["argon2id huge m", `$argon2id$v=19$m=4000000,t=1,p=1$${SALT}$${KEY}`, /m=4000000 is/],
    ["argon2id tiny m", `$argon2id$v=19$m=8,t=1,p=2$${SALT}$${KEY}`, /m=8 is outside 16…/],
    ["argon2id huge t", `$argon2id$v=19$m=65536,t=100,p=1$${SALT}$${KEY}`, /t=100 is/],
    ["argon2id work", `$argon2id$v=19$m=1048576,t=4,p=1$${SALT}$${KEY}`, /together cost/],
  ];

  it.each(cases)("describes %s", (_label, hash, expected) => {
    const problem = describePasswordHashProblem(hash);
    expect(problem).toMatch(expected);
    expect(problem).toMatch(/photoferry hash-password/);
  });

  it("accepts an argon2id hash exactly when this Node.js has crypto.argon2", () => {
    const problem = describePasswordHashProblem(ARGON2_REFERENCE);
    if (argon2Available()) expect(problem).toBeNull();
    else expect(problem).toMatch(/needs Node\.js 24\.7 or newer .*make a scrypt hash instead/);
  });
});

describe.runIf(argon2Available())("argon2id on Node.js 24.7+", () => {
  it("verifies the reference hash and rejects a wrong password", async () => {
    await expect(verifyPassword("password", ARGON2_REFERENCE)).resolves.toBe(true);
    await expect(verifyPassword("passw0rd", ARGON2_REFERENCE)).resolves.toBe(false);
  });
});

describe.skipIf(argon2Available())("argon2id before Node.js 24.7", () => {
  it("throws a format error rather than guessing", async () => {
    await expect(verifyPassword("password", ARGON2_REFERENCE)).rejects.toThrow(
      PasswordHashFormatError,
    );
  });
});
