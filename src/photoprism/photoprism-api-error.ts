/**
 * Why a PhotoPrism API call failed, in a form the command queue and the UI can act on.
 * `transient` problems (PhotoPrism busy, restarting or unreachable) are worth retrying with
 * backoff; the rest need a person to change something, which `hint` says in plain words.
 */
export type PhotoPrismApiErrorKind =
  | "unauthorized" // 401: the app password is wrong, expired or revoked
  | "forbidden" // 403: not an admin's app password, missing scope, import disabled, read-only
  | "bad-request" // 400: PhotoPrism did not accept the request
  | "not-found" // 404 where a 404 is not an answer (import folder not configured)
  | "timeout" // the call took longer than allowed
  | "transient" // 5xx, 408, 429, connection refused/reset, DNS hiccup
  | "protocol"; // an answer photoferry cannot read: wrong URL, not PhotoPrism, API changed

export type PhotoPrismOperation = "import" | "file look-up" | "status" | "cancel";

export class PhotoPrismApiError extends Error {
  override readonly name = "PhotoPrismApiError";
  constructor(
    readonly kind: PhotoPrismApiErrorKind,
    message: string,
    /** What the person should do about it. */
    readonly hint: string,
    /** The HTTP status, or null when no answer came. */
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get transient(): boolean {
    return this.kind === "transient";
  }
}

const appPasswordHint =
  "create an app password in PhotoPrism (Settings → Account → Apps and Devices) for an admin " +
  "user and put it in photoprism.api.tokenFile or PHOTOFERRY_PHOTOPRISM_TOKEN";

/** Turns an HTTP error status into an error; `detail` is PhotoPrism's own `error` text, if any. */
export function errorForStatus(
  status: number,
  operation: PhotoPrismOperation,
  detail: string | null,
): PhotoPrismApiError {
  const said = detail ? ` ("${detail}")` : "";
  const message = `PhotoPrism refused the ${operation} with HTTP ${status}${said}`;
  if (status === 401) {
    return new PhotoPrismApiError(
      "unauthorized",
      message,
      `the app password is wrong or has expired: ${appPasswordHint}`,
      status,
    );
  }
  if (status === 403) {
    return new PhotoPrismApiError(
      "forbidden",
      message,
      "the app password must belong to an admin user and have the `files` scope (or `*`); " +
        "if it does, imports are disabled in PhotoPrism's settings (Settings → General → Import) " +
        "or PhotoPrism runs in read-only mode (PHOTOPRISM_READONLY)",
      status,
    );
  }
  if (status === 400) {
    return new PhotoPrismApiError(
      "bad-request",
      message,
      "PhotoPrism did not accept photoferry's request; check that photoprism.api.url points at " +
        "PhotoPrism itself and that its version supports this API, and report it if it persists",
      status,
    );
  }
  if (status === 404 && operation === "import") {
    return new PhotoPrismApiError(
      "not-found",
      message,
      "PhotoPrism has no import folder configured, or does not see the batch folder: mount the " +
        "import folder into PhotoPrism (PHOTOPRISM_IMPORT_PATH) and check photoprism.importDir " +
        "is the same folder",
      status,
    );
  }
  if (status >= 500 || status === 408 || status === 429) {
    return new PhotoPrismApiError(
      "transient",
      message,
      "PhotoPrism is busy, restarting or overloaded; photoferry will try again",
      status,
    );
  }
  return new PhotoPrismApiError(
    "protocol",
    message,
    "photoferry did not expect this answer: check that photoprism.api.url is PhotoPrism's " +
      "address (including its site path, if it has one)",
    status,
  );
}
