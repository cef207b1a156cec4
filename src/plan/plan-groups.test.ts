import { describe, expect, it } from "vitest";
import {
  fileActions,
  planGroups,
  type GroupToPlan,
  type PlanContext,
  type PlanFile,
} from "./plan-groups.js";

const file = (name: string, overrides: Partial<PlanFile> = {}): PlanFile => ({
  path: `/data/anna/files/InstantUpload/${name}`,
  pathBelowFiles: `InstantUpload/${name}`,
  name,
  role: "primary",
  size: 10,
  mtimeMs: 1,
  dev: "1",
  settled: true,
  sha256: `sha-${name}`,
  sha1: null,
  warnings: [],
  ...overrides,
});

const group = (files: PlanFile[], overrides: Partial<GroupToPlan> = {}): GroupToPlan => ({
  userId: "anna",
  key: files[0]!.name,
  kind: "single",
  files,
  ...overrides,
});

const context = (known: Record<string, string> = {}, inFlight: string[] = []): PlanContext => ({
  findDuplicate: (f) =>
    f.sha256 && known[f.sha256] ? { rule: "hash", where: known[f.sha256]! } : null,
  inFlight: new Set(inFlight),
});

describe("planGroups", () => {
  it("transfers new content", () => {
    const [planned] = planGroups([group([file("a.jpg")])], context());
    expect(planned!.decision).toEqual({ action: "transfer", reason: "new" });
  });

  it("marks content already in the library as a duplicate, sidecars included", () => {
    const live = group(
      [
        file("IMG_1.HEIC"),
        file("IMG_1.MOV", { role: "live-video" }),
        file("IMG_1.xmp", { role: "sidecar", sha256: "x" }),
      ],
      { kind: "live-photo" },
    );
    const [planned] = planGroups(
      [live],
      context({
        "sha-IMG_1.HEIC": "/import/b/1.heic",
        "sha-IMG_1.MOV": "/import/b/1.mov",
        x: "/import/b/1.xmp",
      }),
    );
    expect(planned!.decision).toMatchObject({
      action: "duplicate",
      reason: "same content is already in the library: /import/b/1.heic",
    });
  });

  it("transfers a group when only part of its media is known", () => {
    const live = group([file("IMG_1.HEIC"), file("IMG_1.MOV", { role: "live-video" })], {
      kind: "live-photo",
    });
    const [planned] = planGroups([live], context({ "sha-IMG_1.HEIC": "x" }));
    expect(planned!.decision.action).toBe("transfer");
  });

  it("sends the same photo from two users once: the second copy waits for the next pass", () => {
    const anna = group([file("same.jpg", { sha256: "S" })]);
    const bob = group(
      [file("same.jpg", { sha256: "S", path: "/data/bob/files/Photos/same.jpg" })],
      {
        userId: "bob",
      },
    );
    const decisions = planGroups([anna, bob], context());
    expect(decisions.map((d) => d.decision.action)).toEqual(["transfer", "wait"]);
    expect(decisions[1]!.decision.reason).toContain("/data/anna/files/InstantUpload/same.jpg");
  });

  it("with EXIF keys, holds back a second file of the same shot", () => {
    const anna = group([file("a.jpg", { exifKey: "photo:K" })]);
    const bob = group(
      [file("b.jpg", { exifKey: "photo:K", path: "/data/bob/files/Photos/b.jpg" })],
      {
        userId: "bob",
      },
    );
    expect(planGroups([anna, bob], context()).map((d) => d.decision.action)).toEqual([
      "transfer",
      "wait",
    ]);
  });

  it("leaves a known photo whose sidecar is new in place, so the edits are not lost", () => {
    const edited = group([
      file("IMG_1.jpg"),
      file("IMG_1.jpg.xmp", { role: "sidecar", sha256: "new-edits" }),
    ]);
    const [planned] = planGroups([edited], context({ "sha-IMG_1.jpg": "/originals/1.jpg" }));
    expect(planned!.decision).toEqual({
      action: "skip",
      reason: "the photo is already in the library but IMG_1.jpg.xmp is new; left in place",
    });
  });

  it("does not quarantine a file that is still being written", () => {
    const bad = file("@x.jpg", {
      settled: false,
      readyAt: 9,
      warnings: [{ code: "photoprism-hidden", severity: "block", text: "hidden" }],
    });
    expect(planGroups([group([bad])], context())[0]!.decision.action).toBe("wait");
  });

  it("waits until every member of a group has settled", () => {
    const live = group(
      [
        file("IMG_2.HEIC"),
        file("IMG_2.MOV", { role: "live-video", settled: false, readyAt: 500, sha256: null }),
      ],
      { kind: "live-photo" },
    );
    expect(planGroups([live], context())[0]!.decision).toMatchObject({
      action: "wait",
      readyAt: 500,
    });
  });

  it("quarantines a name that cannot be handled safely", () => {
    const bad = file("evil\nname.jpg", {
      warnings: [
        { code: "control-character", severity: "block", text: "contains a control character" },
      ],
    });
    expect(planGroups([group([bad])], context())[0]!.decision).toEqual({
      action: "quarantine",
      reason: "evil\nname.jpg: contains a control character",
    });
  });

  it("leaves sidecars without a photo and files an interrupted batch owns", () => {
    const orphan = group([file("x.xmp", { role: "sidecar" })], { kind: "orphan-sidecar" });
    const owned = group([file("y.jpg")]);
    const decisions = planGroups([orphan, owned], context({}, [owned.files[0]!.path]));
    expect(decisions.map((d) => d.decision.action)).toEqual(["skip", "skip"]);
  });

  it("refuses to plan a settled file that was not hashed", () => {
    expect(() => planGroups([group([file("z.jpg", { sha256: null })])], context())).toThrow(
      /not hashed/,
    );
  });

  it("lists an action and reason per file for dry runs", () => {
    const decisions = planGroups(
      [group([file("a.jpg"), file("a.xmp", { role: "sidecar" })])],
      context(),
    );
    expect(fileActions(decisions)).toEqual([
      {
        path: "/data/anna/files/InstantUpload/a.jpg",
        userId: "anna",
        action: "transfer",
        reason: "new, with its sidecars",
      },
      {
        path: "/data/anna/files/InstantUpload/a.xmp",
        userId: "anna",
        action: "transfer",
        reason: "new, with its sidecars",
      },
    ]);
  });
});
