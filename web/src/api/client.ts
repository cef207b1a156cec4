import type { ApiErrorBody, SessionInfo } from "./types.js";

/** An answer other than 2xx, with the server's plain-words message. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `HTTP ${status}`);
  }
}

type Listener = () => void;
let csrfToken: string | null = null;
const unauthorizedListeners = new Set<Listener>();

/** The session's CSRF token, sent as `X-CSRF-Token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server answers 401: the app then shows its login page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, {
      error: "offline",
      message: "photoferry does not answer. Is the service running, and is this machine online?",
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = parseJson(text);
  if (!response.ok) {
    if (response.status === 401) for (const listener of unauthorizedListeners) listener();
    const errorBody = isErrorBody(parsed)
      ? parsed
      : { error: `http-${response.status}`, message: text.slice(0, 300) || response.statusText };
    throw new ApiError(response.status, errorBody);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/**
 * Who we are to the server. A server without the session route (an older photoferry) is
 * open: it has no login.
 */
export async function fetchSession(): Promise<SessionInfo> {
  try {
    const session = await api.get<SessionInfo>("/api/session");
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return {
        authenticated: false,
        method: null,
        passwordRequired: true,
        user: null,
        canWrite: false,
        csrfToken: null,
      };
    }
    if (error instanceof ApiError && error.status === 404) {
      return {
        authenticated: true,
        method: "open",
        passwordRequired: false,
        user: null,
        canWrite: true,
        csrfToken: null,
      };
    }
    throw error;
  }
}

export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { message?: unknown }).message === "string"
  );
}
