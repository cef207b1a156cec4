import { BlockList, isIP } from "node:net";
import { parseCidr } from "../../config/validators.js";

/** A set of addresses from `web.allow` / `web.trustedProxies`; IPv4-mapped IPv6 counts as IPv4. */
export interface AddressSet {
  readonly empty: boolean;
  has(address: string): boolean;
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * One spelling per address: `::ffff:192.0.2.1` (how a dual-stack socket reports an IPv4 peer)
 * becomes `192.0.2.1`, and a zone id (`fe80::1%eth0`) is dropped. Returns null for anything
 * that is not an IP address, such as a forged `X-Forwarded-For: evil`.
 */
export function normalizeAddress(text: string): string | null {
  const trimmed = text.trim().replace(/%[^%]*$/, "");
  const mapped = MAPPED_IPV4.exec(trimmed);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  const family = isIP(trimmed);
  if (family === 0) return null;
  return family === 6 ? trimmed.toLowerCase() : trimmed;
}

/**
 * The unit throttles and audit dedupe count by: an IPv4 address, or the /64 of an IPv6
 * address (one home or host gets a whole /64 and can rotate through it at will), or
 * "unknown" for anything that is not an address.
 */
export function clientKey(text: string): string {
  const address = normalizeAddress(text);
  if (address === null) return "unknown";
  if (isIP(address) === 4) return address;
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (`64:ff9b::192.0.2.1`) stands for two groups.
  const tailLength = tailGroups.reduce((sum, group) => sum + (group.includes(".") ? 2 : 1), 0);
  const zeros = Array<string>(Math.max(0, 8 - headGroups.length - tailLength)).fill("0");
  const groups = [...headGroups, ...(tail === undefined ? [] : zeros), ...tailGroups];
  const prefix = groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(":")}::/64`;
}

/** Builds the set from CIDR strings the config schema has already validated. */
export function addressSet(cidrs: readonly string[]): AddressSet {
  const list = new BlockList();
  let count = 0;
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`'${text}' is not an IP address or CIDR range`);
    const mapped = cidr.family === 6 && cidr.prefix >= 96 ? normalizeAddress(cidr.address) : null;
    if (mapped !== null && isIP(mapped) === 4) {
      // A mapped IPv4 rule (`::ffff:10.0.0.0/104`) is the IPv4 rule it stands for.
      list.addSubnet(mapped, cidr.prefix - 96, "ipv4");
    } else {
      list.addSubnet(cidr.address, cidr.prefix, cidr.family === 4 ? "ipv4" : "ipv6");
    }
    count++;
  }
  return {
    empty: count === 0,
    has(text: string): boolean {
      const address = normalizeAddress(text);
      if (address === null) return false;
      return list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
    },
  };
}

/** The client address when a trusted proxy named one that is not an address. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * One `X-Forwarded-For` entry as an address: proxies write `1.2.3.4:5678` and
 * `[2001:db8::1]:443` too, so a port and brackets are dropped first. Null when what is left
 * is not an address (`unknown`, `_hidden`, garbage).
 */
export function forwardedAddress(hop: string): string | null {
  const text = hop.trim().replace(/^"|"$/g, "");
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1] !== undefined) return normalizeAddress(bracketed[1]);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  return normalizeAddress(withPort?.[1] ?? text);
}

/**
 * The address of the client behind the socket peer. `X-Forwarded-For` is believed only when
 * the peer is a trusted proxy; the chain is then walked from the right (the hop the nearest
 * proxy saw) leftwards, skipping further trusted proxies: the first address that is not one
 * is the client. Everything left of it was written by the client and may be forged. When the
 * whole chain is trusted proxies, the leftmost is the client. A trusted proxy's entry that is
 * not an address makes the client `UNKNOWN_CLIENT`: not the proxy's own address, which
 * `web.allow` may well list; unknown clients are refused by any allow-list and share one
 * login throttle.
 */
export function resolveClientAddress(
  peer: string,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: AddressSet,
): string {
  const socketPeer = normalizeAddress(peer) ?? peer;
  if (forwardedFor === undefined || !trustedProxies.has(socketPeer)) return socketPeer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : String(forwardedFor))
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  let client = socketPeer;
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = forwardedAddress(hops[index] ?? "");
    if (hop === null) return UNKNOWN_CLIENT;
    client = hop;
    if (!trustedProxies.has(hop)) return hop;
  }
  return client;
}
