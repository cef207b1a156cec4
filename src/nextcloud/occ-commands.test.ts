import { describe, expect, it } from "vitest";
import { resolveOcc } from "../config/presets.js";
import {
  describeCommand,
  type OccInvocation,
  filesScanCommand,
  memoriesHelpCommand,
  memoriesIndexCommand,
  statusCommand,
  userListCommand,
} from "./occ-commands.js";
import { OccPathError } from "./occ-paths.js";

const official: OccInvocation = { user: "33", command: ["php", "/var/www/html/occ"] };
const configured = { enabled: true, timeoutMinutes: 30, runner: "docker" } as const;
const tail = ["--no-interaction", "--no-ansi"];

describe("occ command builders", () => {
  it("builds status with JSON output as the preset's user", () => {
    expect(statusCommand(official)).toEqual({
      argv: ["php", "/var/www/html/occ", "status", "--output=json", ...tail],
      user: "33",
    });
  });

  it("keeps a scan path with spaces as one argument", () => {
    const spec = filesScanCommand(official, "/John Doe/files/My Photos/2024/06");
    expect(spec.argv).toEqual([
      "php",
      "/var/www/html/occ",
      "files:scan",
      "--path=/John Doe/files/My Photos/2024/06",
      ...tail,
    ]);
  });

  it("tidies a scan path but refuses one occ would misread", () => {
    expect(filesScanCommand(official, "/alice/files/Photos/").argv).toContain(
      "--path=/alice/files/Photos",
    );
    expect(filesScanCommand(official, "/alice/files").argv).toContain("--path=/alice/files");
    for (const bad of ["/alice/files/../bob", "/__groupfolders/1", "alice/files/x", "/alice/x"]) {
      expect(() => filesScanCommand(official, bad), bad).toThrow(OccPathError);
    }
  });

  it("scopes memories:index with --path or --folder by flavour", () => {
    expect(memoriesIndexCommand(official, "path", "John Doe", "InstantUpload/Camera").argv).toEqual(
      [
        "php",
        "/var/www/html/occ",
        "memories:index",
        "--user=John Doe",
        "--path=InstantUpload/Camera",
        ...tail,
      ],
    );
    expect(memoriesIndexCommand(official, "folder", "alice", "Photos").argv).toContain(
      "--folder=Photos",
    );
    // The whole of the user's files: "/" rather than no option, which would follow index mode.
    expect(memoriesIndexCommand(official, "path", "alice", "").argv).toContain("--path=/");
    expect(() => memoriesIndexCommand(official, "path", "alice", "../x")).toThrow(OccPathError);
    expect(() => memoriesIndexCommand(official, "path", "a/b", "x")).toThrow(OccPathError);
  });

  it("asks memories:index for its help", () => {
    expect(memoriesHelpCommand(official).argv.slice(2)).toEqual([
      "memories:index",
      "--help",
      ...tail,
    ]);
  });

  it("lists users with a limit, refusing nonsense limits", () => {
    expect(userListCommand(official, 10_000).argv.slice(2)).toEqual([
      "user:list",
      "--output=json",
      "--limit=10000",
      ...tail,
    ]);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => userListCommand(official, bad)).toThrow(RangeError);
    }
  });

  it("uses each preset's program and user", () => {
    const linuxserver = resolveOcc({ ...configured, preset: "linuxserver" });
    expect(linuxserver && statusCommand(linuxserver)).toMatchObject({
      argv: ["php", "/app/www/public/occ", "status", "--output=json", ...tail],
      user: "abc",
    });
    const aio = resolveOcc({ ...configured, preset: "aio" });
    expect(aio && statusCommand(aio).user).toBe("www-data");
  });

  it("refuses an empty occ command", () => {
    expect(() => statusCommand({ ...official, command: [] })).toThrow(/nextcloud\.occ\.command/);
  });
});

describe("describeCommand", () => {
  it("quotes only what needs quoting, and option values after the =", () => {
    const spec = filesScanCommand(official, "/John Doe/files/O'Brien's Photos");
    expect(describeCommand(spec)).toBe(
      `php /var/www/html/occ files:scan --path='/John Doe/files/O'\\''Brien'\\''s Photos' ` +
        `--no-interaction --no-ansi (as user 33)`,
    );
    expect(describeCommand(statusCommand(official))).toBe(
      "php /var/www/html/occ status --output=json --no-interaction --no-ansi (as user 33)",
    );
  });

  it("shows control characters escaped and empty arguments visibly", () => {
    expect(describeCommand({ argv: ["echo", "a\nb", "", "$HOME"] })).toBe(
      `echo 'a\\x0ab' '' '$HOME'`,
    );
  });
});
