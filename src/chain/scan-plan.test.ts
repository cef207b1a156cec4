import { describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import { journalEntry } from "../test-support/journal-entry.js";
import { scanPlanFor } from "./scan-plan.js";

const config = (yaml: string) => {
  const result = loadConfigText(
    `nextcloud:\n  dataDir: /data\n  libraryPaths: ["/admin/files/Photo Library"]\n${yaml}\n` +
      "photoprism:\n  importDir: /import\n  trigger: exec\n",
    { env: { PHOTOFERRY_SECRETS_DIR: "/nonexistent" } },
  );
  if (!result.config) throw new Error(JSON.stringify(result.issues));
  return result.config;
};

const entry = journalEntry;

describe("scanPlanFor", () => {
  it("scans the touched library months, the users' emptied folders and their archive", () => {
    const plan = scanPlanFor(config(""), [
      {
        batchId: "b",
        entries: [
          entry("my user", "InstantUpload/Camera/a.jpg", {
            archivePath: "/data/my user/files/Archived Photos/InstantUpload/Camera/a.jpg",
          }),
          entry("my user", "InstantUpload/Camera/b.jpg", {
            archivePath: "/data/my user/files/Archived Photos/InstantUpload/Camera/b.jpg",
          }),
          entry("bob", "Photos/x.heic", { state: "failed" }),
        ],
        importedFiles: ["2024/06/20240601_120000_AAAAAAAA.jpg", "2023/01/20230101_000000_B.jpg"],
      },
    ]);
    expect(plan.scans).toEqual([
      { path: "/admin/files/Photo Library/2023/01", why: "library" },
      { path: "/admin/files/Photo Library/2024/06", why: "library" },
      { path: "/my user/files/InstantUpload/Camera", why: "source" },
      { path: "/my user/files/Archived Photos/InstantUpload/Camera", why: "archive" },
    ]);
    expect(plan.memories).toEqual([
      { userId: "admin", path: "Photo Library/2023/01" },
      { userId: "admin", path: "Photo Library/2024/06" },
      { userId: "my user", path: "Archived Photos/InstantUpload/Camera" },
    ]);
  });

  it("scans whole library paths when it is unknown where files landed, and skips kept originals", () => {
    const plan = scanPlanFor(config("  afterMove: keep\n  memories: { enabled: false }"), [
      {
        batchId: "b",
        entries: [entry("alice", "Photos/a.jpg", { afterMove: "keep" })],
        importedFiles: null,
      },
    ]);
    expect(plan.scans).toEqual([{ path: "/admin/files/Photo Library", why: "library" }]);
    expect(plan.memories).toEqual([]);
  });

  it("scans an absolute archive folder inside Nextcloud, and not one outside it", () => {
    const plan = scanPlanFor(
      config("  archiveDir: /data/{user}/files/Old\n  memories: { enabled: false }"),
      [
        {
          batchId: "b",
          entries: [
            entry("alice", "Photos/a.jpg", { archivePath: "/data/alice/files/Old/Photos/a.jpg" }),
            entry("bob", "Photos/b.jpg", { archivePath: "/archive/bob/Photos/b.jpg" }),
          ],
          importedFiles: [],
        },
      ],
    );
    expect(plan.scans).toEqual([
      { path: "/alice/files/Photos", why: "source" },
      { path: "/bob/files/Photos", why: "source" },
      { path: "/alice/files/Old/Photos", why: "archive" },
    ]);
  });
});
