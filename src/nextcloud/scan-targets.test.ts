import { describe, expect, it } from "vitest";
import { planScans, type ScanPlanInput, type ScanStep } from "./scan-targets.js";

const base: ScanPlanInput = {
  libraryPaths: ["/admin/files/Photo Library"],
  importedFiles: ["2024/06/20240601_120000_ABCD1234.jpg", "2024/06/20240602_080000_EF012345.heic"],
  users: [{ userId: "alice", movedFromFolders: ["InstantUpload/Camera"] }],
  sourceFolders: ["InstantUpload", "Photos"],
  afterMove: "archive",
  archiveDir: "Archived Photos",
  memories: true,
};

const scans = (steps: ScanStep[]) =>
  steps.filter((s) => s.command === "files:scan").map((s) => `${s.reason} ${s.virtualPath}`);
const indexes = (steps: ScanStep[]) =>
  steps
    .filter((s) => s.command === "memories:index")
    .map((s) => `${s.reason} ${s.userId}:${s.path}`);

describe("planScans", () => {
  it("orders library scans, user scans, then Memories", () => {
    const plan = planScans(base);
    expect(plan.steps).toEqual([
      {
        command: "files:scan",
        reason: "library",
        userId: "admin",
        virtualPath: "/admin/files/Photo Library/2024/06",
      },
      {
        command: "files:scan",
        reason: "source",
        userId: "alice",
        virtualPath: "/alice/files/InstantUpload/Camera",
      },
      {
        command: "files:scan",
        reason: "archive",
        userId: "alice",
        virtualPath: "/alice/files/Archived Photos/InstantUpload/Camera",
      },
      {
        command: "memories:index",
        reason: "library",
        userId: "admin",
        path: "Photo Library/2024/06",
      },
      {
        command: "memories:index",
        reason: "archive",
        userId: "alice",
        path: "Archived Photos/InstantUpload/Camera",
      },
    ]);
    expect(plan.notes).toEqual([]);
  });

  it("scopes each library path to the touched month folders, once each", () => {
    const plan = planScans({
      ...base,
      libraryPaths: ["/admin/files/Photo Library", "/John Doe/files/Shared/Library"],
      importedFiles: ["2024/06/a.jpg", "2023/12/b.jpg", "2024/06/c.jpg"],
      users: [],
    });
    expect(scans(plan.steps)).toEqual([
      "library /admin/files/Photo Library/2023/12",
      "library /admin/files/Photo Library/2024/06",
      "library /John Doe/files/Shared/Library/2023/12",
      "library /John Doe/files/Shared/Library/2024/06",
    ]);
  });

  it("scans whole library paths when the landing places are unknown or unusable", () => {
    expect(scans(planScans({ ...base, importedFiles: undefined, users: [] }).steps)).toEqual([
      "library /admin/files/Photo Library",
    ]);
    const odd = planScans({
      ...base,
      importedFiles: ["2024/06/a.jpg", "../escape.jpg"],
      users: [],
    });
    expect(scans(odd.steps)).toEqual(["library /admin/files/Photo Library"]);
    expect(odd.notes[0]).toMatch(/unusable/);
    // A file directly in originals touches the library root.
    expect(
      scans(planScans({ ...base, importedFiles: ["a.jpg", "2024/06/b.jpg"], users: [] }).steps),
    ).toEqual(["library /admin/files/Photo Library"]);
  });

  it("plans no library scan when nothing was imported", () => {
    const plan = planScans({ ...base, importedFiles: [], afterMove: "delete" });
    expect(scans(plan.steps)).toEqual(["source /alice/files/InstantUpload/Camera"]);
    expect(indexes(plan.steps)).toEqual([]);
  });

  it("skips a malformed library path with a note and keeps the others", () => {
    const plan = planScans({
      ...base,
      libraryPaths: ["/__groupfolders/1", "/admin/files/Photo Library"],
      users: [],
    });
    expect(scans(plan.steps)).toEqual(["library /admin/files/Photo Library/2024/06"]);
    expect(plan.notes).toEqual([expect.stringMatching(/library path skipped: .*__groupfolders/)]);
  });

  it("scans the deepest common folder per source folder, never above it", () => {
    const plan = planScans({
      ...base,
      importedFiles: [],
      afterMove: "delete",
      users: [
        {
          userId: "alice",
          movedFromFolders: [
            "InstantUpload/Camera/2024",
            "InstantUpload/Camera/2025",
            "InstantUpload/Camera/2024",
            "Photos/Trip",
            "Photos/Family/Kids",
          ],
        },
      ],
    });
    expect(scans(plan.steps)).toEqual([
      "source /alice/files/InstantUpload/Camera",
      "source /alice/files/Photos",
    ]);
  });

  it("bounds by the closest of nested source folders, and scans unconfigured folders as they are", () => {
    const plan = planScans({
      ...base,
      importedFiles: [],
      afterMove: "delete",
      sourceFolders: ["Photos", "Photos/Family/"],
      users: [
        {
          userId: "bob",
          movedFromFolders: ["Photos/Family/A", "Photos/Family/B", "Old/Phone", "Old/Tablet/"],
        },
      ],
    });
    expect(scans(plan.steps)).toEqual([
      "source /bob/files/Old/Phone",
      "source /bob/files/Old/Tablet",
      "source /bob/files/Photos/Family",
    ]);
  });

  it("scans nothing of users when originals are kept", () => {
    const plan = planScans({ ...base, afterMove: "keep" });
    expect(scans(plan.steps)).toEqual(["library /admin/files/Photo Library/2024/06"]);
  });

  it("does not scan an archive outside Nextcloud", () => {
    const plan = planScans({ ...base, archiveDir: "/archive/{user}" });
    expect(scans(plan.steps)).toEqual([
      "library /admin/files/Photo Library/2024/06",
      "source /alice/files/InstantUpload/Camera",
    ]);
    expect(indexes(plan.steps)).toEqual(["library admin:Photo Library/2024/06"]);
    expect(plan.notes).toEqual(["alice: archive is outside Nextcloud, not scanned"]);
  });

  it("keeps each user's scans together, users in the order given, ids with spaces intact", () => {
    const plan = planScans({
      ...base,
      users: [
        { userId: "John Doe", movedFromFolders: ["Photos/Trip"] },
        { userId: "alice", movedFromFolders: ["InstantUpload/Camera"] },
      ],
    });
    expect(scans(plan.steps)).toEqual([
      "library /admin/files/Photo Library/2024/06",
      "source /John Doe/files/Photos/Trip",
      "archive /John Doe/files/Archived Photos/Photos/Trip",
      "source /alice/files/InstantUpload/Camera",
      "archive /alice/files/Archived Photos/InstantUpload/Camera",
    ]);
    expect(indexes(plan.steps)).toEqual([
      "library admin:Photo Library/2024/06",
      "archive John Doe:Archived Photos/Photos/Trip",
      "archive alice:Archived Photos/InstantUpload/Camera",
    ]);
  });

  it("drops a scan already covered by an earlier one of the same user", () => {
    const plan = planScans({
      ...base,
      libraryPaths: ["/alice/files/Library"],
      importedFiles: undefined,
      sourceFolders: ["Library/Incoming"],
      afterMove: "delete",
      users: [{ userId: "alice", movedFromFolders: ["Library/Incoming/x"] }],
    });
    expect(scans(plan.steps)).toEqual(["library /alice/files/Library"]);
    expect(indexes(plan.steps)).toEqual(["library alice:Library"]);
  });

  it("indexes a library at the user's root as the whole files folder", () => {
    const plan = planScans({
      ...base,
      libraryPaths: ["/admin/files"],
      importedFiles: undefined,
      users: [],
    });
    expect(plan.steps).toEqual([
      { command: "files:scan", reason: "library", userId: "admin", virtualPath: "/admin/files" },
      { command: "memories:index", reason: "library", userId: "admin", path: "" },
    ]);
  });

  it("plans no Memories steps when Memories is off", () => {
    expect(indexes(planScans({ ...base, memories: false }).steps)).toEqual([]);
  });

  it("skips bad user input with notes instead of failing the whole catch-up", () => {
    const plan = planScans({
      ...base,
      users: [
        { userId: "a/b", movedFromFolders: ["Photos"] },
        { userId: "alice", movedFromFolders: ["../../etc", "Photos/x"] },
      ],
    });
    expect(scans(plan.steps)).toEqual([
      "library /admin/files/Photo Library/2024/06",
      "source /alice/files/Photos/x",
      "archive /alice/files/Archived Photos/Photos/x",
    ]);
    expect(plan.notes).toHaveLength(2);
    expect(plan.notes[0]).toMatch(/user skipped/);
    expect(plan.notes[1]).toMatch(/alice: source folder skipped/);
  });

  it("refuses an archive folder that would leave the user's files", () => {
    const plan = planScans({ ...base, archiveDir: "../elsewhere" });
    expect(scans(plan.steps)).not.toContainEqual(expect.stringContaining("archive"));
    expect(plan.notes).toEqual([expect.stringMatching(/archive not scanned/)]);
  });
});
