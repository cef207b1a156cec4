import { z } from "zod";

export const historySchema = z
  .object({
    keepDays: z.number().int().min(1).max(3_650).default(90).meta({
      description:
        "Days the service keeps its run history, activity log and command log; older entries are removed.",
      example: 90,
    }),
  })
  .prefault({})
  .meta({ description: "The service's history of runs and file actions." });
