import { join } from "node:path";
import { createSimulatedNextcloud } from "../simulators/nextcloud/simulated-nextcloud.js";
import { FerryWorld } from "./ferry-world.js";

export interface SimulatedSetup {
  trigger?: "exec" | "api" | "none";
  api?: { url: string; token: string };
  /** Replaces the `nextcloud.occ` block that runs the occ simulator. */
  occYaml?: string;
  extraYaml?: string;
}

const q = (value: string) => JSON.stringify(value);
const flow = (items: readonly string[]) => `[${items.map(q).join(", ")}]`;

/**
 * A FerryWorld wired to the occ and photoprism simulators, run as real programs by local
 * runners (`built` is `buildForChildProcess()`): Nextcloud users admin, "my user" and bob,
 * PhotoPrism's originals shown in Nextcloud as `/admin/files/Photo Library`.
 */
export function simulatedWorld(built: string, setup: SimulatedSetup = {}): FerryWorld {
  const uid = String(process.getuid!());
  return new FerryWorld(setup.extraYaml ?? "", (world) => {
    const nc = createSimulatedNextcloud({
      root: join(world.root, "nextcloud"),
      dataDir: world.dataDir,
      users: ["admin", "my user", "bob"],
      ownerUid: process.getuid!(),
    });
    const photoprism = [
      process.execPath,
      join(built, "simulators/photoprism/photoprism-sim.js"),
      "--originals-path",
      join(world.dataDir, "admin/files/Photo Library"),
      "--import-path",
      world.importDir,
      "--storage-path",
      join(world.root, "photoprism", "storage"),
    ];
    const occ = [process.execPath, join(built, "simulators/nextcloud/occ-sim.js"), nc.occPath];
    return {
      originalsBelowDataDir: "admin/files/Photo Library",
      nextcloudYaml: `  libraryPaths: [${q("/admin/files/Photo Library")}]`,
      occYaml:
        setup.occYaml ??
        [
          "  occ:",
          "    preset: custom",
          "    runner: local",
          `    user: ${q(uid)}`,
          `    command: ${flow(occ)}`,
        ].join("\n"),
      photoprismYaml: [
        `  trigger: ${setup.trigger ?? "exec"}`,
        "  exec:",
        "    runner: local",
        `    user: ${q(uid)}`,
        `    command: ${flow(photoprism)}`,
        ...(setup.api
          ? ["  api:", `    url: ${q(setup.api.url)}`, `    token: ${q(setup.api.token)}`]
          : []),
      ].join("\n"),
    };
  });
}

/** The simulated Nextcloud's root (for its readers and settings) in a simulated world. */
export const nextcloudRoot = (world: FerryWorld): string => join(world.root, "nextcloud");
/** The photoprism simulator's storage folder in a simulated world. */
export const photoprismStorage = (world: FerryWorld): string =>
  join(world.root, "photoprism", "storage");
