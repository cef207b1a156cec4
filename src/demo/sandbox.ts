import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { errorCode } from "../errno.js";
import {
  createSimulatedNextcloud,
  updateSimulatorSettings,
} from "../simulators/nextcloud/simulated-nextcloud.js";
import { demoConfigYaml } from "./demo-config.js";
import { demoPhoto, takenAt } from "./demo-photo.js";
import { quickTimeMovie } from "./quicktime-movie.js";

/** Nextcloud user ids; the last one has a space and an apostrophe, as real ids may. */
export const DEMO_USERS = ["anna", "bob", "o'brien jr"] as const;
const DISPLAY_NAMES: Record<(typeof DEMO_USERS)[number], string> = {
  anna: "Anna Lindqvist",
  bob: "Bob Okafor",
  "o'brien jr": "Seán O'Brien Jr.",
};
/** Anna administers the server; PhotoPrism's library shows up in her files. */
const LIBRARY_BELOW_DATA_DIR = "anna/files/Photo Library";

export interface DemoSandboxOptions {
  /** Folder holding the compiled `simulators/` (default: the one shipped beside this module). */
  programsDir?: string;
  /** web.port written to the config; default 8080. */
  port?: number;
  settleSeconds?: number;
  /** Picks the user of each dropped photo (tests make it predictable). */
  random?: () => number;
  now?: () => Date;
}

export interface DemoFile {
  /** Path relative to the sandbox, for the console. */
  path: string;
  what: string;
}

export interface DemoSandbox {
  dir: string;
  configPath: string;
  dataDir: string;
  nextcloudRoot: string;
  importDir: string;
  originalsDir: string;
  photoprismStorage: string;
  stateDir: string;
  users: readonly string[];
  /** The sample files written at the start. */
  samples: DemoFile[];
  /** Writes a new photo into a random user's InstantUpload, like a phone would; returns its path. */
  dropPhoto(): string;
}

/** The compiled simulator programs the demo runs, and whether they are there. */
export function simulatorPrograms(programsDir: string): { occ: string; photoprism: string } {
  return {
    occ: join(programsDir, "simulators/nextcloud/occ-sim.js"),
    photoprism: join(programsDir, "simulators/photoprism/photoprism-sim.js"),
  };
}

/** `dist/` when running the published build (this file is `dist/demo/sandbox.js`). */
export const SHIPPED_PROGRAMS_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * A complete trial set-up in `dir` (which must be empty or new): a simulated Nextcloud with
 * three users and sample photos (a Live Photo pair, a photo two users both have), PhotoPrism's
 * folders, and a photoferry.yaml that runs occ and photoprism simulators as local programs.
 */
export async function createDemoSandbox(
  dir: string,
  options: DemoSandboxOptions = {},
): Promise<DemoSandbox> {
  const root = resolve(dir);
  ensureEmpty(root);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const programs = simulatorPrograms(options.programsDir ?? SHIPPED_PROGRAMS_DIR);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;

  const nextcloud = createSimulatedNextcloud({
    root: join(root, "nextcloud"),
    users: [...DEMO_USERS],
    ownerUid: uid,
  });
  updateSimulatorSettings(nextcloud.root, { displayNames: DISPLAY_NAMES });
  const dataDir = nextcloud.dataDir;
  const originalsDir = join(dataDir, LIBRARY_BELOW_DATA_DIR);
  const importDir = join(root, "photoprism", "import");
  const photoprismStorage = join(root, "photoprism", "storage");
  const stateDir = join(root, "state");
  for (const folder of [originalsDir, importDir, photoprismStorage, stateDir])
    mkdirSync(folder, { recursive: true });

  const configPath = join(root, "photoferry.yaml");
  writeFileSync(
    configPath,
    demoConfigYaml({
      dataDir,
      importDir,
      originalsDir,
      libraryPath: `/${LIBRARY_BELOW_DATA_DIR}`,
      stateDir,
      uid,
      gid,
      occCommand: [process.execPath, programs.occ, nextcloud.occPath],
      photoprismCommand: [
        process.execPath,
        programs.photoprism,
        "--originals-path",
        originalsDir,
        "--import-path",
        importDir,
        "--storage-path",
        photoprismStorage,
      ],
      port: options.port ?? 8080,
      settleSeconds: options.settleSeconds ?? 3,
    }),
  );

  const samples = await writeSamples(root, dataDir, now());
  let next = 10;
  const dropPhoto = (): string => {
    const user = DEMO_USERS[Math.min(DEMO_USERS.length - 1, Math.floor(random() * 3))]!;
    const number = next++;
    const name = `IMG_${String(number).padStart(4, "0")}.JPG`;
    const path = join(dataDir, user, "files", "InstantUpload", name);
    const photo = demoPhoto({ seed: number, taken: takenAt(now()), owner: user });
    // Written under a temporary name and renamed, as a Nextcloud upload is: never half seen.
    const partial = `${path}.ocTransferId${number}.part`;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, photo);
    renameSync(partial, path);
    return path;
  };

  return {
    dir: root,
    configPath,
    dataDir,
    nextcloudRoot: nextcloud.root,
    importDir,
    originalsDir,
    photoprismStorage,
    stateDir,
    users: DEMO_USERS,
    samples,
    dropPhoto,
  };
}

function ensureEmpty(root: string): void {
  try {
    if (readdirSync(root).length > 0)
      throw new Error(
        `${root} is not empty; give --dir a new or empty folder (the demo fills it with a sandbox)`,
      );
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  mkdirSync(root, { recursive: true });
}

async function writeSamples(root: string, dataDir: string, now: Date): Promise<DemoFile[]> {
  const written: DemoFile[] = [];
  // Settled already (older than settleSeconds), so the first pass takes them at once.
  const settled = new Date(now.getTime() - 10 * 60_000);
  const put = async (user: string, below: string, content: Buffer, what: string) => {
    const path = join(dataDir, user, "files", below);
    mkdirSync(dirname(path), { recursive: true });
    await writeFile(path, content);
    await utimes(path, settled, settled);
    written.push({ path: path.slice(root.length + 1), what });
  };
  const photo = (seed: number, iso: string, owner: string) =>
    demoPhoto({ seed, taken: takenAt(new Date(iso)), owner });

  const livePhotoTime = new Date("2024-06-01T10:15:00Z");
  await put(
    "anna",
    "InstantUpload/IMG_0001.JPG",
    photo(1, "2024-06-01T10:15:00Z", "anna"),
    "Live Photo (still)",
  );
  await put(
    "anna",
    "InstantUpload/IMG_0001.MOV",
    quickTimeMovie({ created: livePhotoTime }),
    "Live Photo (movie)",
  );
  const shared = photo(2, "2024-06-02T18:40:00Z", "anna");
  await put("anna", "InstantUpload/IMG_0002.JPG", shared, "photo");
  await put(
    "bob",
    "Photos/Holiday 2024/beach.jpg",
    photo(3, "2024-08-14T12:05:00Z", "bob"),
    "photo",
  );
  await put("bob", "Photos/Holiday 2024/from anna.jpg", shared, "duplicate of anna's IMG_0002.JPG");
  await put(
    "o'brien jr",
    "InstantUpload/IMG_0003.JPG",
    photo(4, "2025-01-05T09:30:00Z", "o'brien jr"),
    "photo",
  );
  await put(
    "o'brien jr",
    "InstantUpload/IMG_0004.JPG",
    photo(5, "2025-01-05T09:31:00Z", "o'brien jr"),
    "photo",
  );
  return written;
}
