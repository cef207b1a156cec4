import type { ErrorBody } from "../../../src/api/error-reply.js";

/**
 * The API's data shapes, taken from the server's own contract so the UI and the API cannot
 * drift apart (type-only: nothing from the server ends up in the bundle).
 */
export type {
  ActivityEntry,
  QueueView,
  RunCommand,
  RunDetail,
  RunSummary,
  ServiceEvent,
  ServiceState,
  StatusSnapshot,
  StepName,
  StepProgress,
  Trigger,
  UserView,
} from "../../../src/service/service-contract.js";

/** `GET /api/session` (see docs/api.md, Authentication). */
export interface SessionInfo {
  authenticated: boolean;
  method: "open" | "session" | "header" | "token" | null;
  passwordRequired: boolean;
  user: string | null;
  canWrite: boolean;
  csrfToken: string | null;
}

/**
 * Every error the API sends: `{ error, message, … }`, typed by the server's own ErrorBody
 * (`issues` for a 422 on the config); fields a newer server adds are kept as unknown.
 */
export type ApiErrorBody = ErrorBody & { [key: string]: unknown };
