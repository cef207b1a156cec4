import type Docker from "dockerode";
import type { TestDockerEngine } from "../../test-support/docker/docker-engine.js";
import { environmentOf, volumesOf, type ComposeService } from "./compose-file.js";

/**
 * Starts a compose service as `docker compose` would: its user, groups, capabilities,
 * read-only root, tmpfs, environment and volumes (with `replacedSources` replacing host
 * paths that the test engine keeps elsewhere, keyed by target), on `network`.
 */
export async function startComposeService(
  engine: TestDockerEngine,
  name: string,
  service: ComposeService,
  options: { network: string; replacedSources?: Record<string, string>; extraHosts?: string[] },
): Promise<Docker.Container> {
  const replaced = new Map(
    Object.entries(options.replacedSources ?? {}).map(([from, to]) => [to, from]),
  );
  const binds = volumesOf(service).map((volume) => {
    const source = replaced.get(volume.target) ?? volume.source!;
    return `${source}:${volume.target}${volume.read_only ? ":ro" : ""}`;
  });
  const tmpfs = [service.tmpfs ?? []].flat();
  const container = await engine.docker.createContainer({
    name,
    Image: service.image!,
    ...(service.user ? { User: service.user } : {}),
    Env: Object.entries(environmentOf(service)).map(([key, value]) => `${key}=${value}`),
    HostConfig: {
      Binds: binds,
      NetworkMode: options.network,
      GroupAdd: (service.group_add ?? []).map(String),
      CapDrop: service.cap_drop ?? [],
      CapAdd: service.cap_add ?? [],
      SecurityOpt: service.security_opt ?? [],
      ReadonlyRootfs: service.read_only ?? false,
      Tmpfs: Object.fromEntries(tmpfs.map((path) => [path, ""])),
      ExtraHosts: options.extraHosts ?? [],
    },
    // The image's HEALTHCHECK command, probed every second instead of every 30.
    Healthcheck: { Interval: 1e9, StartPeriod: 60e9, Timeout: 10e9, Retries: 3 },
    NetworkingConfig: { EndpointsConfig: { [options.network]: { Aliases: [name] } } },
  });
  await container.start();
  return container;
}
