import { z } from "zod";
import { historySchema } from "./history.js";
import { nextcloudSchema } from "./nextcloud.js";
import { photoprismSchema } from "./photoprism.js";
import {
  dedupeSchema,
  dockerSchema,
  logSchema,
  notifySchema,
  scheduleSchema,
  sshSchema,
  stateSchema,
  webSchema,
} from "./service.js";

/** The one schema of photoferry.yaml: types, defaults, validation and UI forms come from it. */
export const configSchema = z
  .object({
    nextcloud: nextcloudSchema,
    photoprism: photoprismSchema,
    dedupe: dedupeSchema,
    schedule: scheduleSchema,
    docker: dockerSchema,
    ssh: sshSchema,
    notify: notifySchema,
    web: webSchema,
    state: stateSchema,
    history: historySchema,
    log: logSchema,
  })
  .meta({ description: "photoferry configuration" });

/** The file as parsed, before presets are expanded and secrets resolved. */
export type ParsedConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
