import { z } from "zod";
import { absolutePath, argv, execUser, fileMode, runnerKind } from "./fields.js";

const api = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default("http://photoprism:2342")
      .meta({
        description: "PhotoPrism's base URL as photoferry reaches it.",
        example: "http://photoprism:2342",
      }),
    token: z
      .string()
      .min(1)
      .nullable()
      .optional()
      .meta({
        description:
          "App password (PhotoPrism: Settings → Account → Apps and Devices). Prefer `tokenFile` or " +
          "`PHOTOFERRY_PHOTOPRISM_TOKEN`.",
        secret: true,
      }),
    tokenFile: absolutePath({
      description: "File holding the app password, e.g. a Docker secret.",
      example: "/run/secrets/photoprism_token",
    }).optional(),
  })
  .prefault({})
  .meta({ description: "PhotoPrism's REST API (for `trigger: api` and SHA-1 look-ups)." });

const exec = z
  .object({
    runner: runnerKind.default("docker").meta({
      description: "Where `photoprism import` runs: `docker`, `ssh` or `local`.",
      example: "docker",
    }),
    container: z.string().min(1).nullable().default("photoprism").meta({
      description: "Container name, or Swarm service name, of PhotoPrism.",
      example: "photoprism",
    }),
    user: execUser({
      description: "PhotoPrism's user (`PHOTOPRISM_UID`).",
      example: "1000",
    }).default("1000"),
    command: argv({
      description: "The photoprism CLI as an argv array.",
      example: ["photoprism"],
    }).default(["photoprism"]),
  })
  .prefault({})
  .meta({ description: "Running `photoprism import` (for `trigger: exec`)." });

const files = z
  .object({
    uid: z
      .number()
      .int()
      .nonnegative()
      .default(1000)
      .meta({ description: "Owner uid.", example: 1000 }),
    gid: z
      .number()
      .int()
      .nonnegative()
      .default(1000)
      .meta({ description: "Group gid.", example: 1000 }),
    mode: fileMode({ description: "File mode, as an octal string.", example: "0644" }).default(
      "0644",
    ),
  })
  .prefault({})
  .meta({ description: "Owner and mode of files placed in the import folder." });

export const photoprismSchema = z
  .object({
    importDir: absolutePath({
      description: "PhotoPrism's import folder, as photoferry sees it.",
      example: "/photoprism/import",
      requiresRestart: true,
    }).default("/photoprism/import"),
    containerImportDir: absolutePath({
      description:
        "The same import folder as the PhotoPrism container sees it. Default: `importDir`.",
      example: "/photoprism/import",
    }).optional(),
    originalsDir: absolutePath({
      description:
        "Optional, read-only: PhotoPrism's originals, so photoferry can verify results and dedupe.",
      example: "/photoprism/originals",
    })
      .nullable()
      .optional(),
    trigger: z
      .enum(["api", "exec", "none"])
      .default("exec")
      .meta({
        description:
          "How the import is started: `api` (REST, needs `api.token`), `exec` (`photoprism import` " +
          "in the container) or `none` (PhotoPrism imports on its own).",
        example: "api",
      }),
    api,
    exec,
    timeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(1_440)
      .default(120)
      .meta({
        description:
          "Longest an import may run before it is stopped (large batches with RAW and video files " +
          "take a while: PhotoPrism makes thumbnails and runs its classifiers on each file).",
        example: 120,
      }),
    albumPerUser: z.boolean().default(true).meta({
      description: "Add each user's photos to an album named after them.",
      example: true,
    }),
    files,
  })
  .prefault({})
  .meta({ description: "The PhotoPrism side: where photos go and how the import is started." });
