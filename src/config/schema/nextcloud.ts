import { z } from "zod";
import {
  DEFAULT_MEDIA_EXTENSIONS,
  DEFAULT_SIDECAR_EXTENSIONS,
  type MediaExtension,
} from "../../media/media-types.js";
import { absolutePath, argv, execUser, relativePath, runnerKind } from "./fields.js";

const listOf = (list: readonly MediaExtension[]): string => list.map((e) => e.extension).join(", ");

export const occPresetNames = ["official", "linuxserver", "aio", "custom"] as const;

const occ = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .meta({
        description:
          "Run occ after each import: the maintenance check, `files:scan` and `memories:index`. " +
          "Turn off only when Nextcloud finds changes by itself (`filesystem_check_changes`).",
        example: true,
      }),
    timeoutMinutes: z.number().int().min(1).max(1_440).default(60).meta({
      description: "Longest an occ command may run before it is stopped.",
      example: 60,
    }),
    preset: z
      .enum(occPresetNames)
      .default("official")
      .meta({
        description:
          "How occ is run inside the Nextcloud container: `official` (user 33, `php /var/www/html/occ`), " +
          "`linuxserver` (user abc, `php /app/www/public/occ`), `aio` (user www-data in " +
          "`nextcloud-aio-nextcloud`), or `custom` (give `user` and `command`).",
        example: "official",
      }),
    runner: runnerKind.default("docker").meta({
      description: "Where occ runs: `docker` (Docker Engine API), `ssh` (see `ssh`), or `local`.",
      example: "docker",
    }),
    container: z
      .string()
      .min(1)
      .nullable()
      .optional()
      .meta({
        description:
          "Container name, or Swarm service name, of Nextcloud. Default: `nextcloud`, or " +
          "`nextcloud-aio-nextcloud` with the `aio` preset.",
        example: "nextcloud",
      }),
    user: execUser({
      description: "User occ runs as; overrides the preset. Must own Nextcloud's files.",
      example: "33",
    }).optional(),
    command: argv({
      description: "The occ command as an argv array; overrides the preset.",
      example: ["php", "/var/www/html/occ"],
    }).optional(),
  })
  .prefault({})
  .meta({ description: "How occ is run." });

const users = z
  .object({
    include: z
      .array(z.string().min(1))
      .default(["*"])
      .meta({ description: "Glob patterns over Nextcloud user ids to sync.", example: ["*"] }),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .meta({
        description: "Glob patterns of users never synced; wins over `include`.",
        example: ["guest*"],
      }),
    autoIncludeNew: z.boolean().default(true).meta({
      description: "Sync users created later when they match `include`.",
      example: true,
    }),
  })
  .prefault({})
  .meta({ description: "Which Nextcloud users are synced." });

export const nextcloudSchema = z
  .object({
    dataDir: absolutePath({
      description: "Nextcloud's data directory as photoferry sees it (holds `<user>/files/…`).",
      example: "/nextcloud/data",
      requiresRestart: true,
    }).default("/nextcloud/data"),
    users,
    sourceFolders: z
      .array(
        relativePath({
          description: "A folder relative to `<dataDir>/<user>/files`.",
          example: "InstantUpload",
        }),
      )
      .min(1)
      .default(["InstantUpload", "Photos"])
      .meta({
        description:
          "Per user, folders (relative to `<user>/files`) whose photos are ferried; subfolders included.",
        example: ["InstantUpload", "Photos"],
      }),
    extensions: z
      .array(z.string())
      .optional()
      .meta({
        description: `File extensions (without the dot) that are ferried. Default: ${listOf(DEFAULT_MEDIA_EXTENSIONS)}.`,
        example: ["jpg", "heic", "dng", "mov"],
      }),
    sidecarExtensions: z
      .array(z.string())
      .optional()
      .meta({
        description:
          "Extensions of sidecar files that travel with their photo (`IMG_1.xmp`, `IMG_1.jpg.xmp`). " +
          `Default: ${listOf(DEFAULT_SIDECAR_EXTENSIONS)}.`,
        example: ["xmp", "aae", "json"],
      }),
    afterMove: z
      .enum(["archive", "delete", "keep"])
      .default("archive")
      .meta({
        description:
          "What happens to the user's original once it is safely in the import folder (and to a " +
          "duplicate): `archive`, `delete`, or `keep` (left in place, never sent twice).",
        example: "archive",
      }),
    archiveDir: z
      .string()
      .min(1)
      .default("Archived Photos")
      .meta({
        description:
          "For `afterMove: archive`. A relative path is inside the user's Nextcloud files; an " +
          "absolute path is outside Nextcloud, with `{user}` replaced by the user id.",
        example: "Archived Photos",
      }),
    occ,
    libraryPaths: z
      .array(z.string().min(1))
      .default([])
      .meta({
        description:
          "Nextcloud paths, as occ sees them (`/<user>/files/<folder>`), that show PhotoPrism's " +
          "originals folder; scanned after each import.",
        example: ["/admin/files/Photo Library"],
      }),
    memories: z
      .object({
        enabled: z.boolean().default(true).meta({
          description: "Run `occ memories:index` for what changed (needs the Memories app).",
          example: true,
        }),
      })
      .prefault({})
      .meta({ description: "The Memories app." }),
  })
  .prefault({})
  .meta({ description: "The Nextcloud side: where photos come from and how occ is run." });
