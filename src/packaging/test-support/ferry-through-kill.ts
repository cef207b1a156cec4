import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { StandInSite } from "../../test-support/docker/standin-site.js";
import { jpegWithExif } from "../../test-support/exif-jpeg.js";
import { hash } from "../../test-support/ferry-world.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every `everyMs` until it is true; throws `what` after `limitMs`. */
export async function waitUntil(
  what: string,
  done: () => boolean | Promise<boolean>,
  limitMs: number,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms: ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Drops `count` photos into alice's and bob's folders, kills photoferry (`kill`) as soon as
 * the first files reach the import folder, and checks that after its restart every photo is
 * in PhotoPrism's originals exactly once, nothing is left half-way, and Nextcloud knows the
 * archived copies. Returns how many were imported when photoferry was killed.
 */
export async function ferryThroughKill(
  site: StandInSite,
  count: number,
  kill: () => void | Promise<void>,
): Promise<number> {
  const photos: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const taken = `2023:0${1 + (i % 9)}:1${i % 10} 10:00:00`;
    const content = jpegWithExif(
      { make: "Apple", model: "iPhone 15", taken, width: 4032, height: 3024 },
      randomBytes(512 * 1024),
    );
    photos.push(site.add(i % 2 ? "alice" : "bob", `Photos/IMG_${i}.jpg`, content));
  }
  await waitUntil(
    "a file in the import folder",
    () => site.tree(site.importDir).size > 0,
    120_000,
    100,
  );
  await kill();
  const atKill = site.tree(site.originalsDir).size;
  const expected = photos.map(hash).sort();
  await waitUntil(
    `all ${count} photos in the originals`,
    () => site.tree(site.originalsDir).size >= expected.length,
    240_000,
  );
  expect([...site.tree(site.originalsDir).values()].sort()).toEqual(expected);
  // Nothing left half-way: the users' folders are empty, the import folder too.
  for (const user of ["alice", "bob"])
    expect(readdirSync(join(site.dataDir, user, "files", "Photos"))).toEqual([]);
  expect(
    [...site.tree(site.importDir).keys()].filter((p) => !p.startsWith(".photoferry/")),
  ).toEqual([]);
  // Nextcloud's scans of the archive folders come after the import: wait for them.
  const archived = () =>
    site.fileCache().filter((p) => p.includes("/Archived Photos/Photos/")).length;
  await waitUntil(
    `${count} archived photos known to Nextcloud`,
    () => archived() >= count,
    120_000,
  );
  expect(archived()).toBe(count);
  // The archive folders belong to Nextcloud's user, as if Nextcloud had made them.
  for (const user of ["alice", "bob"])
    expect(statSync(join(site.dataDir, user, "files", "Archived Photos", "Photos")).uid).toBe(33);
  return atKill;
}
