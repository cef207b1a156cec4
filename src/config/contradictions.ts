import { posix } from "node:path";
import { valueAt, type ConfigIssue, type PathSegment } from "./issues.js";
import { configuredExtensions } from "../media/media-types.js";
import { resolveOcc } from "./presets.js";
import type { ParsedConfig } from "./schema/index.js";
import { secretDefinitions, type ResolvedSecrets, type SecretName } from "./secrets.js";
import { isContainedRelativePath, isSameOrInside } from "./validators.js";

/** What the checks need besides the parsed file. */
export interface ContradictionContext {
  secrets: ResolvedSecrets;
  env: NodeJS.ProcessEnv;
  /** The file's data, to tell a value the person wrote from a default. */
  data: unknown;
}

/** A resolved secret that cannot work, checked even when the rest of the file is invalid. */
export function findSecretProblems(
  secrets: ResolvedSecrets,
  passwordHashProblem: (hash: string) => string | null,
): ConfigIssue[] {
  const hash = secrets.values.passwordHash;
  const problem = hash === undefined ? null : passwordHashProblem(hash);
  return problem === null
    ? []
    : [
        error(
          ["web", "auth", "passwordHash"],
          problem,
          "run `photoferry hash-password` and paste its output",
        ),
      ];
}

/** Settings that are each valid alone but make no sense together. Pure. */
export function findContradictions(
  config: ParsedConfig,
  context: ContradictionContext,
): ConfigIssue[] {
  return [
    ...folderOverlaps(config),
    ...runnerNeeds(config, context),
    ...photoprismNeeds(config, context),
    ...webNeeds(config, context),
    ...notifyNeeds(config),
    ...libraryPathShapes(config),
    ...extensionLists(config),
    ...folderSchedules(config),
  ];
}

const error = (path: PathSegment[], message: string, fix?: string): ConfigIssue => ({
  severity: "error",
  path,
  message,
  fix,
});
const warning = (path: PathSegment[], message: string, fix?: string): ConfigIssue => ({
  severity: "warning",
  path,
  message,
  fix,
});

function folderOverlaps(config: ParsedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { nextcloud, photoprism } = config;
  const { dataDir, sourceFolders, archiveDir, afterMove } = nextcloud;
  const importDir = photoprism.importDir;

  if (isSameOrInside(importDir, dataDir)) {
    issues.push(
      error(
        ["photoprism", "importDir"],
        `'${importDir}' is inside Nextcloud's data directory '${dataDir}'`,
        "use a folder outside Nextcloud's data, e.g. `/photoprism/import`",
      ),
    );
  } else if (isSameOrInside(dataDir, importDir)) {
    issues.push(
      error(
        ["nextcloud", "dataDir"],
        `'${dataDir}' is inside PhotoPrism's import folder: PhotoPrism would import all of Nextcloud`,
        "point `photoprism.importDir` at PhotoPrism's own import folder",
      ),
    );
  }
  const originals = photoprism.originalsDir;
  if (originals && (isSameOrInside(originals, importDir) || isSameOrInside(importDir, originals))) {
    issues.push(
      error(
        ["photoprism", "originalsDir"],
        `'${originals}' and the import folder '${importDir}' overlap`,
        "the originals and import folders must be two separate folders",
      ),
    );
  }

  if (afterMove !== "archive") return issues;
  const archivePath = ["nextcloud", "archiveDir"];
  if (posix.isAbsolute(archiveDir)) {
    // Check with a stand-in user id so `{user}` templates are compared like real paths.
    const archive = archiveDir.replaceAll("{user}", "someone");
    if (isSameOrInside(archive, importDir) || isSameOrInside(importDir, archive)) {
      issues.push(
        error(
          archivePath,
          `'${archiveDir}' overlaps PhotoPrism's import folder: archived photos would be imported again`,
          "choose a folder outside the import folder",
        ),
      );
    }
    if (originals && isSameOrInside(archive, originals)) {
      issues.push(
        error(
          archivePath,
          `'${archiveDir}' is inside PhotoPrism's originals`,
          "choose a folder outside PhotoPrism's library",
        ),
      );
    }
    if (isSameOrInside(archive, dataDir)) {
      const [, files, ...below] = posix.relative(dataDir, archive).split("/");
      if (files === "files") issues.push(...archiveInsideSource(below.join("/"), sourceFolders));
    }
    if (!archiveDir.includes("{user}")) {
      issues.push(
        warning(
          archivePath,
          "an absolute archive folder without `{user}` mixes every user's photos in one place",
          "add `{user}`, e.g. `/archive/{user}`",
        ),
      );
    }
    return issues;
  }
  if (!isContainedRelativePath(archiveDir)) {
    issues.push(
      error(
        archivePath,
        `'${archiveDir}' climbs out of the user's files`,
        "use a folder name like `Archived Photos`, or an absolute path",
      ),
    );
    return issues;
  }
  issues.push(...archiveInsideSource(archiveDir, sourceFolders));
  return issues;
}

function archiveInsideSource(archive: string, sourceFolders: string[]): ConfigIssue[] {
  for (const source of sourceFolders) {
    if (isSameOrInside(archive, source)) {
      return [
        error(
          ["nextcloud", "archiveDir"],
          `'${archive}' is inside the source folder '${source}': archived photos would be ferried again`,
          "choose a folder outside the source folders, e.g. `Archived Photos`",
        ),
      ];
    }
    if (isSameOrInside(source, archive)) {
      return [
        error(
          ["nextcloud", "archiveDir"],
          `the source folder '${source}' is inside the archive folder '${archive}'`,
          "keep the archive and the source folders apart",
        ),
      ];
    }
  }
  return [];
}

/** A secret counts as configured when some source names it, even if it cannot be read yet. */
function secretConfigured(name: SecretName, context: ContradictionContext): boolean {
  if (context.secrets.values[name] !== undefined) return true;
  const definition = secretDefinitions.find((d) => d.name === name)!;
  if (context.env[`${definition.env}_FILE`]) return true;
  const fileKey = valueAt(context.data, definition.fileKey);
  return typeof fileKey === "string" && fileKey !== "";
}

function runnerNeeds(config: ParsedConfig, context: ContradictionContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const occ = resolveOcc(config.nextcloud.occ);
  if (!occ) {
    issues.push(
      error(
        ["nextcloud", "occ", "preset"],
        "the `custom` preset needs both `occ.user` and `occ.command`",
        'add e.g. `user: "33"` and `command: ["php", "/var/www/html/occ"]`',
      ),
    );
  }
  const runners: { path: string[]; runner: string; container: string | null | undefined }[] = [
    { path: ["nextcloud", "occ"], runner: config.nextcloud.occ.runner, container: occ?.container },
  ];
  if (config.photoprism.trigger === "exec") {
    const { runner, container } = config.photoprism.exec;
    runners.push({ path: ["photoprism", "exec"], runner, container });
  }
  let needsSsh = false;
  for (const { path, runner, container } of runners) {
    if (runner === "docker" && occ !== undefined && !container) {
      issues.push(
        error(
          [...path, "container"],
          "`runner: docker` needs the container (or Swarm service) name",
          "set `container`, e.g. `nextcloud`",
        ),
      );
    }
    if (runner === "ssh") needsSsh = true;
  }
  if (needsSsh) {
    if (!config.ssh.host)
      issues.push(
        error(
          ["ssh", "host"],
          "`runner: ssh` needs an SSH host",
          "set `ssh.host`, e.g. `nas.local`",
        ),
      );
    if (!secretConfigured("sshKey", context)) {
      issues.push(
        error(
          ["ssh", "keyFile"],
          "`runner: ssh` needs a private key",
          "set `ssh.keyFile` or PHOTOFERRY_SSH_KEY_FILE",
        ),
      );
    }
    if (!config.ssh.hostKey)
      issues.push(
        warning(
          ["ssh", "hostKey"],
          "the SSH host key is not pinned",
          "set `ssh.hostKey` to the `SHA256:…` fingerprint from `ssh-keygen -lf`",
        ),
      );
  }
  return issues;
}

function photoprismNeeds(config: ParsedConfig, context: ContradictionContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const apiReady =
    config.photoprism.api.url !== null && secretConfigured("photoprismToken", context);
  if (config.photoprism.trigger === "api") {
    if (config.photoprism.api.url === null)
      issues.push(
        error(
          ["photoprism", "api", "url"],
          "`trigger: api` needs PhotoPrism's URL",
          "set `photoprism.api.url`, e.g. `http://photoprism:2342`",
        ),
      );
    if (!secretConfigured("photoprismToken", context)) {
      issues.push(
        error(
          ["photoprism", "api", "token"],
          "`trigger: api` needs a PhotoPrism app password",
          "set `photoprism.api.tokenFile` or PHOTOFERRY_PHOTOPRISM_TOKEN, or use `trigger: exec`",
        ),
      );
    }
  }
  const lookupWritten =
    (context.data as { dedupe?: { photoprismLookup?: unknown } } | null)?.dedupe
      ?.photoprismLookup === true;
  if (lookupWritten && !apiReady) {
    issues.push(
      warning(
        ["dedupe", "photoprismLookup"],
        "PhotoPrism look-ups need the API URL and app password; they will be skipped",
        "configure `photoprism.api`",
      ),
    );
  }
  return issues;
}

function webNeeds(config: ParsedConfig, context: ContradictionContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { auth, allow, trustedProxies } = config.web;
  if (auth.trustedHeader && trustedProxies.length === 0) {
    issues.push(
      error(
        ["web", "auth", "trustedHeader"],
        "a trusted header is only believed from `web.trustedProxies`, which is empty",
        "add your reverse proxy's address to `web.trustedProxies`",
      ),
    );
  }
  const hash = context.secrets.values.passwordHash;
  if (hash === undefined && !auth.trustedHeader && allow.length === 0) {
    issues.push(
      warning(
        ["web", "auth", "passwordHash"],
        "no password and no allow-list: anyone who reaches the port controls photoferry",
        "set a password (`photoferry hash-password`) or `web.allow`",
      ),
    );
  }
  return issues;
}

function notifyNeeds(config: ParsedConfig): ConfigIssue[] {
  const { url, topic } = config.notify.ntfy;
  return url && !topic
    ? [
        error(
          ["notify", "ntfy", "topic"],
          "ntfy needs a topic to publish to",
          "set `notify.ntfy.topic`, e.g. `photoferry`",
        ),
      ]
    : [];
}

function libraryPathShapes(config: ParsedConfig): ConfigIssue[] {
  return config.nextcloud.libraryPaths.flatMap((path, index) =>
    /^\/[^/]+\/files(\/|$)/.test(path)
      ? []
      : [
          error(
            ["nextcloud", "libraryPaths", index],
            `'${path}' is not a Nextcloud path as occ sees it`,
            "write it as `/<user>/files/<folder>`, e.g. `/admin/files/Photo Library`",
          ),
        ],
  );
}

function extensionLists(config: ParsedConfig): ConfigIssue[] {
  const result = configuredExtensions(config.nextcloud);
  if (result.ok) return [];
  return result.problems.map((problem) => {
    const key = problem.list === "media" ? "extensions" : "sidecarExtensions";
    const path: PathSegment[] = [
      "nextcloud",
      key,
      ...(problem.index === null ? [] : [problem.index]),
    ];
    return error(path, problem.message, problem.fix);
  });
}

/** Each folder schedule names a source folder, once. (Each cron is checked where it is read.) */
function folderSchedules(config: ParsedConfig): ConfigIssue[] {
  const { sourceFolders } = config.nextcloud;
  const seen = new Set<string>();
  return config.schedule.folders.flatMap(({ folder }, index) => {
    const path = ["schedule", "folders", index, "folder"];
    if (!sourceFolders.includes(folder)) {
      return [
        error(
          path,
          `'${folder}' is not one of the source folders (${sourceFolders.map((f) => `'${f}'`).join(", ")})`,
          "write it exactly as in `nextcloud.sourceFolders`, or add it there",
        ),
      ];
    }
    if (seen.has(folder)) {
      return [error(path, `'${folder}' has a schedule already`, "keep one entry per folder")];
    }
    seen.add(folder);
    return [];
  });
}
