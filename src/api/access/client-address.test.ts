import { describe, expect, it } from "vitest";
import { addressSet, clientKey, normalizeAddress, resolveClientAddress } from "./client-address.js";

describe("normalizeAddress", () => {
  it("writes IPv4-mapped IPv6 as IPv4 and drops zone ids", () => {
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    expect(normalizeAddress("FE80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress(" 203.0.113.9 ")).toBe("203.0.113.9");
  });

  it("refuses what is not an address", () => {
    for (const text of [
      "",
      "evil",
      "1.2.3",
      "999.1.1.1",
      "::ffff:999.1.1.1",
      "unknown",
      "_hidden",
    ]) {
      expect(normalizeAddress(text), text).toBeNull();
    }
  });
});

describe("addressSet", () => {
  const set = addressSet(["192.168.1.0/24", "10.0.0.7", "fd00::/8", "::ffff:172.16.0.0/108"]);

  it("matches IPv4 and IPv6 ranges and single addresses", () => {
    expect(set.has("192.168.1.200")).toBe(true);
    expect(set.has("192.168.2.1")).toBe(false);
    expect(set.has("10.0.0.7")).toBe(true);
    expect(set.has("10.0.0.8")).toBe(false);
    expect(set.has("fd12:3456::1")).toBe(true);
    expect(set.has("fe80::1")).toBe(false);
  });

  it("treats an IPv4-mapped IPv6 peer like its IPv4 address, both ways", () => {
    expect(set.has("::ffff:192.168.1.5")).toBe(true);
    expect(set.has("::ffff:c0a8:0105")).toBe(true);
    expect(set.has("::ffff:192.168.9.5")).toBe(false);
    expect(set.has("172.16.4.4")).toBe(true);
    expect(set.has("172.32.0.1")).toBe(false);
  });

  it("ignores host bits after the prefix, and knows when it is empty", () => {
    expect(addressSet(["192.168.1.77/24"]).has("192.168.1.3")).toBe(true);
    expect(addressSet([]).empty).toBe(true);
    expect(addressSet([]).has("127.0.0.1")).toBe(false);
    expect(set.empty).toBe(false);
  });

  it("never matches garbage and rejects a bad CIDR loudly", () => {
    expect(set.has("not-an-ip")).toBe(false);
    expect(addressSet(["0.0.0.0/0"]).has("")).toBe(false);
    expect(() => addressSet(["10.0.0.0/33"])).toThrow(/not an IP address/);
  });
});

describe("resolveClientAddress", () => {
  const proxies = addressSet(["10.0.0.0/8"]);

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(resolveClientAddress("203.0.113.5", "192.168.1.10", proxies)).toBe("203.0.113.5");
    expect(resolveClientAddress("::ffff:203.0.113.5", undefined, proxies)).toBe("203.0.113.5");
  });

  it("takes the rightmost address that is not a trusted proxy", () => {
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7", proxies)).toBe("198.51.100.7");
    // The client forged the leftmost entry; two proxies appended what they saw.
    expect(resolveClientAddress("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.3", proxies)).toBe(
      "198.51.100.7",
    );
    expect(resolveClientAddress("10.0.0.2", ["1.1.1.1", "198.51.100.7 , 10.0.0.9"], proxies)).toBe(
      "198.51.100.7",
    );
  });

  it("uses the leftmost hop when every hop is a trusted proxy, the peer when there are none", () => {
    expect(resolveClientAddress("10.0.0.2", "10.0.0.5, 10.0.0.3", proxies)).toBe("10.0.0.5");
    expect(resolveClientAddress("10.0.0.2", "", proxies)).toBe("10.0.0.2");
  });

  it("makes the client unknown at a malformed hop, never the proxy itself", () => {
    expect(resolveClientAddress("10.0.0.2", "127.0.0.1, garbage, 10.0.0.3", proxies)).toBe(
      "unknown",
    );
    for (const hop of ["garbage", "unknown", "_hidden", "1.2.3.4:x", "[2001:db8::1", ""]) {
      const client = resolveClientAddress("10.0.0.2", hop === "" ? "," : hop, proxies);
      expect(client, hop).toBe(hop === "" ? "10.0.0.2" : "unknown");
    }
  });

  it("drops the port and brackets proxies write into X-Forwarded-For", () => {
    expect(resolveClientAddress("10.0.0.2", "1.2.3.4:5678", proxies)).toBe("1.2.3.4");
    expect(resolveClientAddress("10.0.0.2", "[2001:db8::1]:443", proxies)).toBe("2001:db8::1");
    expect(resolveClientAddress("10.0.0.2", "[2001:DB8::1]", proxies)).toBe("2001:db8::1");
    expect(resolveClientAddress("10.0.0.2", '"198.51.100.1:80"', proxies)).toBe("198.51.100.1");
    expect(resolveClientAddress("10.0.0.2", "2001:db8::1", proxies)).toBe("2001:db8::1");
  });

  it("with no trusted proxies, always the peer", () => {
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7", addressSet([]))).toBe("10.0.0.2");
  });
});

describe("clientKey", () => {
  it("keys IPv6 by its /64 and IPv4 by the address", () => {
    expect(clientKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:DB8:1:2:ffff:eeee:dddd:cccc")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("2001:db8:0:0:1::")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
    expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientKey("198.51.100.7")).toBe("198.51.100.7");
    expect(clientKey("garbage")).toBe("unknown");
  });
});
