/** How to reach a Docker Engine API, as dockerode's constructor takes it. */
export type EngineAddress =
  { socketPath: string } | { host: string; port: number; protocol: "http" | "https" };

/**
 * Parses photoferry's `docker.host`: `unix:///path/docker.sock`, `tcp://host:port` (plain
 * HTTP, as a docker-socket-proxy serves it), or `http(s)://host[:port]`. Throws with a
 * plain-words fix for anything else.
 */
export function parseDockerHost(value: string): EngineAddress {
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath.startsWith("/")) {
      throw new Error(
        `docker.host "${value}": a unix socket needs an absolute path, e.g. unix:///var/run/docker.sock`,
      );
    }
    return { socketPath };
  }
  const match = /^(tcp|https?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?\/?$/.exec(value);
  if (!match) {
    throw new Error(
      `docker.host "${value}" is not understood: use unix:///var/run/docker.sock or tcp://socket-proxy:2375`,
    );
  }
  const [, scheme, rawHost, rawPort] = match as unknown as [string, string, string, string?];
  const protocol = scheme === "https" ? "https" : "http";
  const port = rawPort === undefined ? defaultPort(scheme) : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`docker.host "${value}": port ${rawPort} is not between 1 and 65535`);
  }
  // Node's http wants a bare IPv6 address, without the URL brackets.
  const host = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
  return { host, port, protocol };
}

function defaultPort(scheme: string): number {
  if (scheme === "https") return 2376;
  if (scheme === "http") return 80;
  return 2375;
}

/** The address of a docker-socket-proxy reached over the overlay network (Swarm). */
export function proxyAddress(ip: string, port = 2375): EngineAddress {
  return { host: ip, port, protocol: "http" };
}

export function describeAddress(address: EngineAddress): string {
  if ("socketPath" in address) return `unix://${address.socketPath}`;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${address.protocol === "https" ? "https" : "tcp"}://${host}:${address.port}`;
}
