import { z } from "zod";
import { absolutePath, cidrList, cronExpression, port } from "./fields.js";

export const dedupeSchema = z
  .object({
    hash: z.enum(["sha256"]).default("sha256").meta({
      description: "Content hash used to recognise a photo already in the library.",
      example: "sha256",
    }),
    alsoMatch: z
      .array(z.enum(["name-size", "exif"]))
      .default([])
      .meta({
        description:
          "Extra duplicate rules: `name-size` (same name and size), `exif` (same capture time, " +
          "camera and dimensions).",
        example: ["name-size"],
      }),
    photoprismLookup: z.boolean().default(true).meta({
      description:
        "Ask PhotoPrism by SHA-1 whether it already has a file (needs the API configured).",
      example: true,
    }),
  })
  .prefault({})
  .meta({ description: "How duplicates are recognised." });

export const scheduleSchema = z
  .object({
    watch: z.boolean().default(true).meta({
      description: "React to filesystem events (inotify). Turn off for NFS/SMB mounts.",
      example: true,
    }),
    cron: cronExpression({
      description: "Periodic pass, as a cron expression; `null` turns it off.",
      example: "*/15 * * * *",
    })
      .nullable()
      .default("*/15 * * * *"),
    folders: z
      .array(
        z.object({
          folder: z.string().min(1).meta({
            description: "One of `nextcloud.sourceFolders`, written the same way.",
            example: "Photos",
          }),
          cron: cronExpression({
            description: "This folder's periodic pass; `null` = only file events and manual runs.",
            example: "0 3 * * *",
          }).nullable(),
        }),
      )
      .default([])
      .meta({
        description:
          "Source folders with their own schedule instead of `cron`; the global `cron` then " +
          "leaves them out. File events and manual runs still cover every folder.",
        example: [{ folder: "Photos", cron: "0 3 * * *" }],
      }),
    settleSeconds: z.number().int().min(0).max(86_400).default(30).meta({
      description: "A file must be unchanged this long before it is moved.",
      example: 30,
    }),
    reconcileMinutes: z.number().int().min(1).max(10_080).default(60).meta({
      description: "Minutes between full scans of the source folders (for mounts without events).",
      example: 60,
    }),
  })
  .prefault({})
  .meta({ description: "When passes run." });

export const dockerSchema = z
  .object({
    host: z
      .string()
      .regex(/^(unix:\/\/\/.+|tcp:\/\/[^/]+|https?:\/\/[^/]+\/?)$/, {
        message: "must be `unix:///path/to/docker.sock` or `tcp://host:port`",
      })
      .default("unix:///var/run/docker.sock")
      .meta({
        description: "Docker Engine API: a unix socket or `tcp://` to a docker-socket-proxy.",
        example: "tcp://socket-proxy:2375",
      }),
    swarm: z.enum(["auto", "on", "off"]).default("auto").meta({
      description: "Swarm mode: `auto` asks the engine (`GET /info`).",
      example: "auto",
    }),
    socketProxyService: z.string().min(1).optional().meta({
      description:
        "Swarm: the global docker-socket-proxy service used to reach tasks on other nodes.",
      example: "photoferry_socket-proxy",
    }),
  })
  .prefault({})
  .meta({ description: "Access to the Docker Engine (for `runner: docker`)." });

export const sshSchema = z
  .object({
    host: z.string().min(1).optional().meta({ description: "SSH host.", example: "nas.local" }),
    port: port({ description: "SSH port.", example: 22 }).default(22),
    user: z
      .string()
      .min(1)
      .default("photoferry")
      .meta({ description: "SSH user.", example: "photoferry" }),
    key: z.string().min(1).nullable().optional().meta({
      description: "Private key (PEM/OpenSSH text). Prefer `keyFile` or `PHOTOFERRY_SSH_KEY_FILE`.",
      secret: true,
    }),
    keyFile: absolutePath({
      description: "File holding the private key.",
      example: "/run/secrets/ssh_key",
    }).optional(),
    hostKey: z.string().min(1).optional().meta({
      description: "Pinned host key fingerprint (`SHA256:…`, from `ssh-keygen -lf`).",
      example: "SHA256:Vw2b…",
    }),
  })
  .prefault({})
  .meta({ description: "SSH connection, used by `runner: ssh`." });

const httpHeaderName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const notifyLevel = z.enum(["debug", "info", "success", "warning", "error"]);

// Credentials in a URL would be shown wherever the URL is (API, UI, logs); they go in secrets.
const urlWithoutCredentials = (url: string) => {
  try {
    const parsed = new URL(url);
    return parsed.username === "" && parsed.password === "";
  } catch {
    return true; // the URL check itself reports a malformed URL
  }
};

export const notifySchema = z
  .object({
    uiUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({
        description:
          "Address of photoferry's web UI as people open it (e.g. behind a reverse proxy); " +
          "notifications link to the run there. Without it they carry no link.",
        example: "https://photoferry.example.org",
      }),
    ntfy: z
      .object({
        url: z
          .url({ protocol: /^https?$/ })
          .refine(urlWithoutCredentials, {
            message: "must not contain a user or password",
            params: {
              fix: "put the user in notify.ntfy.user and the password in notify.ntfy.token",
            },
          })
          .optional()
          .meta({
            description: "ntfy server URL; notifications are off without it.",
            example: "https://ntfy.sh",
          }),
        topic: z
          .string()
          .regex(/^[-_A-Za-z0-9]{1,64}$/, {
            message: "may only contain letters, digits, - and _ (at most 64)",
          })
          .optional()
          .meta({ description: "ntfy topic.", example: "photoferry" }),
        user: z
          .string()
          .min(1)
          .nullable()
          .optional()
          .meta({
            description:
              "ntfy user for basic auth; `token` then holds that user's password. Leave it out " +
              "to send `token` as an access token (Bearer).",
            example: "photoferry",
          }),
        token: z
          .string()
          .min(1)
          .nullable()
          .optional()
          .meta({
            description:
              "ntfy access token, or the password of `user`. Prefer `tokenFile` or " +
              "`PHOTOFERRY_NTFY_TOKEN`.",
            secret: true,
          }),
        tokenFile: absolutePath({
          description: "File holding the ntfy token.",
          example: "/run/secrets/ntfy_token",
        }).optional(),
        level: notifyLevel.default("warning").meta({
          description: "Lowest level that is sent.",
          example: "warning",
        }),
      })
      .prefault({})
      .meta({ description: "ntfy push notifications." }),
    webhook: z
      .object({
        url: z
          .url({ protocol: /^https?$/ })
          .refine(urlWithoutCredentials, {
            message: "must not contain a user or password",
            params: { fix: "put credentials in notify.webhook.secret (or its file)" },
          })
          .optional()
          .meta({
            description:
              "Address that receives notifications as a JSON POST " +
              "(`{event, level, title, message, runId, url, at}`); off without it. Kept secret: " +
              "services such as Discord and Slack put their token in the address.",
            example: "https://hooks.example.org/photoferry",
            secret: true,
          }),
        headers: z
          .record(z.string(), z.string())
          .superRefine((headers, ctx) => {
            for (const name of Object.keys(headers)) {
              if (!httpHeaderName.test(name)) {
                ctx.addIssue({
                  code: "custom",
                  path: [name],
                  message: "is not an HTTP header name",
                  params: { fix: "use letters, digits and -, like `X-Source`" },
                });
              }
            }
          })
          .default({})
          .meta({
            description: "Extra request headers. They are not secret: put credentials in `secret`.",
            example: { "X-Source": "photoferry" },
          }),
        secretHeader: z
          .string()
          .regex(httpHeaderName, { message: "must be an HTTP header name" })
          .default("Authorization")
          .meta({
            description: "Header that carries `secret`.",
            example: "Authorization",
          }),
        secret: z
          .string()
          .min(1)
          .nullable()
          .optional()
          .meta({
            description:
              "Value of `secretHeader`, e.g. `Bearer abc…`. Prefer `secretFile` or " +
              "`PHOTOFERRY_WEBHOOK_SECRET`.",
            secret: true,
          }),
        secretFile: absolutePath({
          description: "File holding the webhook secret.",
          example: "/run/secrets/webhook_secret",
        }).optional(),
        level: notifyLevel.default("warning").meta({
          description: "Lowest level that is sent.",
          example: "warning",
        }),
      })
      .prefault({})
      .meta({ description: "A generic webhook, the second notification channel." }),
  })
  .prefault({})
  .meta({ description: "Notifications." });

export const webSchema = z
  .object({
    host: z.string().min(1).default("0.0.0.0").meta({
      description: "Address the web UI and API listen on.",
      example: "0.0.0.0",
      requiresRestart: true,
    }),
    port: port({
      description: "Port of the web UI and API.",
      example: 8080,
      requiresRestart: true,
    }).default(8080),
    auth: z
      .object({
        passwordHash: z.string().min(1).nullable().optional().meta({
          description: "Web password hash from `photoferry hash-password`; `null` = no password.",
          secret: true,
        }),
        passwordHashFile: absolutePath({
          description: "File holding the password hash, e.g. a Docker secret.",
          example: "/run/secrets/photoferry_password_hash",
        }).optional(),
        trustedHeader: z
          .string()
          .regex(/^[A-Za-z0-9-]+$/, { message: "must be an HTTP header name" })
          .nullable()
          .optional()
          .meta({
            description:
              "Header carrying the user name from a reverse proxy (e.g. `Remote-User`); believed only from `trustedProxies`.",
            example: "Remote-User",
          }),
        sessionHours: z
          .number()
          .int()
          .min(1)
          .max(720)
          .default(24)
          .meta({
            description:
              "A login ends after this many hours without a request (sliding); in any case 30 " +
              "days after logging in.",
            example: 24,
          }),
      })
      .prefault({})
      .meta({ description: "Who may use the web UI and API." }),
    allow: cidrList({
      description: "CIDRs allowed to reach the UI and API; empty = everyone.",
      example: ["192.168.1.0/24"],
    }),
    trustedProxies: cidrList({
      description: "CIDRs of reverse proxies whose `X-Forwarded-For` is believed.",
      example: ["172.16.0.0/12"],
    }),
  })
  .prefault({})
  .meta({ description: "The web UI and REST API." });

export const stateSchema = z
  .object({
    dir: absolutePath({
      description: "Folder for the database, journal and logs.",
      example: "/config/state",
      requiresRestart: true,
    }).default("/config/state"),
  })
  .prefault({})
  .meta({ description: "photoferry's own state." });

export const logSchema = z
  .object({
    level: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info").meta({
      description: "Log level (`PHOTOFERRY_LOG_LEVEL` overrides it).",
      example: "info",
    }),
  })
  .prefault({})
  .meta({ description: "Logging." });
