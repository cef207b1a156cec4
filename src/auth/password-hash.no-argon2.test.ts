import { describe, expect, it, vi } from "vitest";

// Simulates Node.js before 24.7 even when the suite runs on a newer one.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  return { ...actual, argon2: undefined };
});

const { argon2Available } = await import("./kdf.js");
const { describePasswordHashProblem, verifyPassword, PasswordHashFormatError } =
  await import("./password-hash.js");

const ARGON2_REFERENCE =
  "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

describe("argon2id hashes without crypto.argon2", () => {
  it("are described as needing Node.js 24.7 with a way out", () => {
    expect(argon2Available()).toBe(false);
    expect(describePasswordHashProblem(ARGON2_REFERENCE)).toBe(
      `is an argon2id hash, which needs Node.js 24.7 or newer (this is ${process.version}); ` +
        "run `photoferry hash-password` to make a scrypt hash instead",
    );
  });

  it("make verifyPassword throw instead of answering false", async () => {
    await expect(verifyPassword("password", ARGON2_REFERENCE)).rejects.toThrow(
      PasswordHashFormatError,
    );
  });
});
