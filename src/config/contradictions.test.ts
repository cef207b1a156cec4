import { describe, expect, it } from "vitest";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { formatIssue } from "./issues.js";
import { loadConfigText } from "./load-config.js";

function problems(text: string, env: NodeJS.ProcessEnv = {}, files: Record<string, string> = {}) {
  const result = loadConfigText(text, {
    env,
    secretEnvironment: fakeSecretEnvironment(files, env),
  });
  return {
    errors: result.issues.filter((i) => i.severity === "error").map(formatIssue),
    warnings: result.issues.filter((i) => i.severity === "warning").map(formatIssue),
    loaded: result.config !== undefined,
  };
}

describe("contradictions", () => {
  it.each([
    ["InstantUpload/Archive", "is inside the source folder 'InstantUpload'"],
    ["Photos", "is inside the source folder 'Photos'"],
    ["Pictures", null],
  ])("relative archive folder %s", (archiveDir, expected) => {
    const { errors } = problems(`nextcloud:\n  archiveDir: "${archiveDir}"\n`);
    if (expected) expect(errors.join()).toContain(expected);
    else expect(errors).toEqual([]);
  });

  it("refuses a source folder inside the archive folder", () => {
    const { errors } = problems(
      'nextcloud:\n  sourceFolders: ["Media/Camera"]\n  archiveDir: Media\n',
    );
    expect(errors).toEqual([
      "`nextcloud.archiveDir` (line 3): the source folder 'Media/Camera' is inside the archive folder 'Media' — keep the archive and the source folders apart",
    ]);
  });

  it("refuses an absolute archive folder inside a user's source folder", () => {
    const { errors } = problems(
      "nextcloud:\n  archiveDir: /nextcloud/data/{user}/files/Photos/old\n",
    );
    expect(errors.join()).toContain("inside the source folder 'Photos'");
  });

  it("ignores the archive folder when afterMove is not archive", () => {
    expect(problems("nextcloud:\n  afterMove: keep\n  archiveDir: Photos\n").errors).toEqual([]);
  });

  it("refuses an archive folder that climbs out of the user's files", () => {
    expect(problems("nextcloud:\n  archiveDir: ../elsewhere\n").errors.join()).toContain(
      "climbs out",
    );
  });

  it("refuses an archive folder in PhotoPrism's import folder", () => {
    const { errors } = problems("nextcloud:\n  archiveDir: /photoprism/import/{user}\n");
    expect(errors.join()).toContain("overlaps PhotoPrism's import folder");
  });

  it("warns about an absolute archive folder without {user}", () => {
    expect(problems("nextcloud:\n  archiveDir: /archive\n").warnings.join()).toContain("`{user}`");
  });

  it("refuses the import folder inside the Nextcloud data directory", () => {
    const { errors } = problems(
      "nextcloud:\n  dataDir: /data\nphotoprism:\n  importDir: /data/import\n",
    );
    expect(errors).toEqual([
      "`photoprism.importDir` (line 4): '/data/import' is inside Nextcloud's data directory '/data' — use a folder outside Nextcloud's data, e.g. `/photoprism/import`",
    ]);
  });

  it("refuses the data directory inside the import folder", () => {
    const { errors } = problems(
      "nextcloud:\n  dataDir: /srv/import/nc\nphotoprism:\n  importDir: /srv/import\n",
    );
    expect(errors.join()).toContain("PhotoPrism would import all of Nextcloud");
  });

  it("refuses originals equal to import", () => {
    const { errors } = problems("photoprism:\n  importDir: /pp/x\n  originalsDir: /pp/x/\n");
    expect(errors.join()).toContain("overlap");
  });

  it("refuses an ssh runner without host or key", () => {
    const { errors, warnings } = problems(
      "nextcloud:\n  occ:\n    runner: ssh\nssh:\n  port: 22\n",
    );
    expect(errors.join("\n")).toContain("`ssh.host`");
    expect(errors.join("\n")).toContain("needs a private key");
    expect(warnings.join("\n")).toContain("not pinned");
  });

  it("accepts an ssh runner whose key comes from the environment", () => {
    const env = { PHOTOFERRY_SSH_KEY_FILE: "/keys/id" };
    const result = problems("nextcloud:\n  occ:\n    runner: ssh\nssh:\n  host: nas\n", env, {
      "/keys/id": "KEY",
    });
    expect(result.errors).toEqual([]);
  });

  it("refuses a docker runner without a container", () => {
    const { errors } = problems("photoprism:\n  trigger: exec\n  exec:\n    container: null\n");
    expect(errors).toEqual([
      "`photoprism.exec.container` (line 4): `runner: docker` needs the container (or Swarm service) name — set `container`, e.g. `nextcloud`",
    ]);
    expect(problems("nextcloud:\n  occ:\n    container: null\n").errors).toHaveLength(1);
  });

  it("refuses the custom occ preset without user and command", () => {
    const { errors } = problems("nextcloud:\n  occ:\n    preset: custom\n");
    expect(errors.join()).toContain("needs both `occ.user` and `occ.command`");
  });

  it("refuses trigger api without a token or without a url", () => {
    expect(problems("photoprism:\n  trigger: api\n").errors.join()).toContain(
      "needs a PhotoPrism app password",
    );
    const noUrl = problems("photoprism:\n  trigger: api\n  api:\n    url: null\n    token: abc\n");
    expect(noUrl.errors.join()).toContain("needs PhotoPrism's URL");
    expect(
      problems("photoprism:\n  trigger: api\n", { PHOTOFERRY_PHOTOPRISM_TOKEN: "t" }).errors,
    ).toEqual([]);
  });

  it("refuses an invalid url", () => {
    expect(problems("photoprism:\n  api:\n    url: photoprism:2342\n").errors.join()).toContain(
      "not a valid http(s) URL",
    );
  });

  it("refuses ports out of range and invalid CIDRs (IPv4 and IPv6)", () => {
    expect(problems("web:\n  port: 0\n").errors).toHaveLength(1);
    expect(problems("ssh:\n  port: 65536\n").errors).toHaveLength(1);
    expect(
      problems("web:\n  allow: ['fd00::/129', '::1', '192.168.1.0/24', '2001:db8::/32']\n").errors,
    ).toEqual([
      "`web.allow[0]` (line 2): 'fd00::/129' is not an IP address or CIDR range — write it like `192.168.1.0/24` or `fd00::/8`",
    ]);
    expect(problems("web:\n  trustedProxies: [nope]\n").errors).toHaveLength(1);
  });

  it("refuses a trusted header without trusted proxies", () => {
    expect(problems("web:\n  auth:\n    trustedHeader: Remote-User\n").errors.join()).toContain(
      "trustedProxies",
    );
  });

  it("refuses a password hash that is not one", () => {
    expect(problems("web:\n  auth:\n    passwordHash: hunter2\n").errors.join()).toContain(
      "hash-password",
    );
  });

  it("refuses ntfy without a topic", () => {
    expect(problems("notify:\n  ntfy:\n    url: https://ntfy.sh\n").errors.join()).toContain(
      "topic",
    );
  });

  it("refuses a library path that is not a Nextcloud path", () => {
    expect(problems('nextcloud:\n  libraryPaths: ["/photos"]\n').errors).toEqual([
      "`nextcloud.libraryPaths[0]` (line 2): '/photos' is not a Nextcloud path as occ sees it — write it as `/<user>/files/<folder>`, e.g. `/admin/files/Photo Library`",
    ]);
  });

  it("warns when the web UI is open to everyone without a password", () => {
    expect(problems("").warnings.join()).toContain("no password and no allow-list");
    expect(problems("web:\n  allow: [10.0.0.0/8]\n").warnings).toEqual([]);
  });
});

describe("extension lists", () => {
  it("accepts custom lists and explains wrong entries", () => {
    expect(
      problems("nextcloud:\n  extensions: [jpg, HEIC, mov]\n  sidecarExtensions: [xmp]\n").errors,
    ).toEqual([]);
    const { errors } = problems(
      "nextcloud:\n  extensions: [jpg, .png, xmp]\n  sidecarExtensions: [mov]\n",
    );
    expect(errors).toEqual([
      '`nextcloud.extensions[1]` (line 2): ".png" contains a dot — write it without dots: png',
      '`nextcloud.extensions[2]` (line 2): "xmp" is a sidecar extension, not a photo or video — move it to the sidecar list',
      '`nextcloud.sidecarExtensions[0]` (line 3): "mov" is a photo or video format, not a sidecar — move it to the media list',
    ]);
  });
});

describe("folder schedules", () => {
  const schedule = (...entries: string[]) =>
    [
      "nextcloud:",
      "  sourceFolders: [InstantUpload, Photos]",
      "schedule:",
      "  cron: '*/15 * * * *'",
      "  folders:",
      ...entries.map((entry) => `    - ${entry}`),
    ].join("\n");

  it("accepts source folders with a cron or null", () => {
    const text = schedule(
      "{ folder: Photos, cron: '0 3 * * *' }",
      "folder: InstantUpload\n      cron: null",
    );
    expect(problems(text).errors).toEqual([]);
    const loaded = loadConfigText(text, {
      env: {},
      secretEnvironment: fakeSecretEnvironment({}, {}),
    });
    expect(loaded.config?.schedule.folders).toEqual([
      { folder: "Photos", cron: "0 3 * * *" },
      { folder: "InstantUpload", cron: null },
    ]);
  });

  it("refuses a folder that is not a source folder, and one listed twice", () => {
    const { errors } = problems(
      schedule(
        "{ folder: Photos, cron: '0 3 * * *' }",
        "{ folder: Pictures, cron: null }",
        "{ folder: Photos, cron: null }",
      ),
    );
    expect(errors).toEqual([
      "`schedule.folders[1].folder` (line 7): 'Pictures' is not one of the source folders ('InstantUpload', 'Photos') — write it exactly as in `nextcloud.sourceFolders`, or add it there",
      "`schedule.folders[2].folder` (line 8): 'Photos' has a schedule already — keep one entry per folder",
    ]);
  });

  it("refuses a folder cron that does not parse, with its line", () => {
    const { errors, loaded } = problems(
      schedule(
        "{ folder: Photos, cron: '0 3 * * *' }",
        "folder: InstantUpload\n      cron: nightly",
      ),
    );
    expect(loaded).toBe(false);
    expect(errors).toEqual([
      "`schedule.folders[1].cron` (line 8): 'nightly' is not a cron expression — try `*/15 * * * *` (every 15 minutes)",
    ]);
  });
});
