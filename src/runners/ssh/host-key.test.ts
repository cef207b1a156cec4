import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostKeyFingerprint, hostKeyProblem, parsePinnedFingerprint } from "./host-key.js";

describe("hostKeyFingerprint", () => {
  it("matches what ssh-keygen -lf prints for the same key", () => {
    const dir = mkdtempSync(join(tmpdir(), "photoferry-hostkey-"));
    try {
      for (const type of ["ed25519", "ecdsa", "rsa"]) {
        const path = join(dir, type);
        execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", path]);
        const blob = Buffer.from(readFileSync(`${path}.pub`, "utf8").split(" ")[1]!, "base64");
        const printed = execFileSync("ssh-keygen", ["-lf", path], { encoding: "utf8" });
        expect(hostKeyFingerprint(blob)).toBe(printed.split(" ")[1]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const fp = "SHA256:Vw2bW5k0lQbm3m0ZC0lP3JvV8v7q0x2VqGf6o1Zy0Xc";
const other = "SHA256:AAAAW5k0lQbm3m0ZC0lP3JvV8v7q0x2VqGf6o1Zy0Xc";

describe("parsePinnedFingerprint", () => {
  it.each([
    [fp, fp],
    [`${fp}=`, fp],
    [`  ${fp}\n`, fp],
    [`256 ${fp} root@nas (ED25519)`, fp],
    ["MD5:12:34:56", undefined],
    ["SHA256:short", undefined],
  ])("%j → %j", (input, expected) => {
    expect(parsePinnedFingerprint(input)).toBe(expected);
  });
});

describe("hostKeyProblem", () => {
  it("accepts the pinned key", () => {
    expect(hostKeyProblem(fp, fp, "nas:22")).toBeUndefined();
    expect(hostKeyProblem(fp, `256 ${fp} x (ED25519)`, "nas:22")).toBeUndefined();
  });

  it("refuses when nothing is pinned and shows the line to add", () => {
    for (const pinned of [undefined, null, " "]) {
      const problem = hostKeyProblem(fp, pinned, "nas:22");
      expect(problem?.code).toBe("host-key-mismatch");
      expect(problem?.message).toContain("not pinned");
      expect(problem?.hint).toContain(`hostKey: "${fp}"`);
    }
  });

  it("refuses a different key and shows both", () => {
    const problem = hostKeyProblem(fp, other, "nas:22");
    expect(problem?.code).toBe("host-key-mismatch");
    expect(problem?.hint).toContain(fp);
    expect(problem?.hint).toContain(other);
    expect(problem?.transient).toBe(false);
  });

  it("refuses a pin that is not a SHA256 fingerprint", () => {
    expect(hostKeyProblem(fp, "MD5:aa:bb", "nas:22")?.message).toContain("not a SHA256");
  });
});
