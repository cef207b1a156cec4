import { describe, expect, it } from "vitest";
import { findDebianMirror } from "./base-image.js";
import { isSelfContainedNode } from "./build-image.js";

describe("findDebianMirror", () => {
  it("reads deb822 sources and skips the security archive and comments", () => {
    const text = [
      "Types: deb",
      "# http://snapshot.debian.org/archive/debian/20250520T000000Z",
      "URIs: http://mirror.example/debian-security",
      "Suites: bookworm-security",
      "",
      "URIs: http://mirror.example/debian",
    ].join("\n");
    expect(findDebianMirror(text)).toBe("http://mirror.example/debian");
  });

  it("reads one-line sources, with options", () => {
    expect(findDebianMirror("deb [arch=amd64] https://m.example/debian bookworm main")).toBe(
      "https://m.example/debian",
    );
    expect(findDebianMirror("# deb http://x/debian bookworm main\n")).toBeUndefined();
  });
});

describe("isSelfContainedNode", () => {
  it("accepts an official build (glibc and libstdc++ only)", () => {
    const ldd = [
      "linux-vdso.so.1 (0x00007ffd)",
      "libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x1)",
      "libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x2)",
      "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x3)",
      "libgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x4)",
      "libpthread.so.0 => /lib/x86_64-linux-gnu/libpthread.so.0 (0x5)",
      "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x6)",
      "/lib64/ld-linux-x86-64.so.2 (0x7)",
    ].join("\n");
    expect(isSelfContainedNode(ldd)).toBe(true);
  });

  it("rejects Debian's node, which needs libnode and friends", () => {
    const ldd =
      "libnode.so.108 => /lib/x86_64-linux-gnu/libnode.so.108 (0x1)\nlibc.so.6 => /x (0x2)";
    expect(isSelfContainedNode(ldd)).toBe(false);
    expect(isSelfContainedNode("")).toBe(false);
  });
});
