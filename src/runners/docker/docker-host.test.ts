import { describe, expect, it } from "vitest";
import { describeAddress, parseDockerHost } from "./docker-host.js";

describe("parseDockerHost", () => {
  it("reads unix sockets, tcp:// proxies and http(s) URLs", () => {
    expect(parseDockerHost("unix:///var/run/docker.sock")).toEqual({
      socketPath: "/var/run/docker.sock",
    });
    expect(parseDockerHost("tcp://socket-proxy:2375")).toEqual({
      host: "socket-proxy",
      port: 2375,
      protocol: "http",
    });
    expect(parseDockerHost("tcp://10.0.1.5")).toMatchObject({ port: 2375 });
    expect(parseDockerHost("https://docker.example:2376/")).toEqual({
      host: "docker.example",
      port: 2376,
      protocol: "https",
    });
    expect(parseDockerHost("http://[fd00::1]:2375")).toMatchObject({ host: "fd00::1", port: 2375 });
  });

  it("refuses what it cannot use, saying what to write instead", () => {
    expect(() => parseDockerHost("unix://docker.sock")).toThrow(/absolute path/);
    expect(() => parseDockerHost("ssh://nas")).toThrow(/tcp:\/\/socket-proxy:2375/);
    expect(() => parseDockerHost("tcp://proxy:99999")).toThrow(/between 1 and 65535/);
    expect(() => parseDockerHost("tcp://proxy:2375/path")).toThrow(/not understood/);
  });

  it("describes addresses the way the config writes them", () => {
    expect(describeAddress(parseDockerHost("unix:///run/d.sock"))).toBe("unix:///run/d.sock");
    expect(describeAddress(parseDockerHost("tcp://[fd00::1]:2375"))).toBe("tcp://[fd00::1]:2375");
  });
});
