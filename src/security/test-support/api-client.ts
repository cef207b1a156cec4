export interface Exchange {
  what: string;
  status: number;
  text: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface SessionReply {
  passwordRequired?: boolean;
  authenticated?: boolean;
  csrfToken?: string | null;
}

/**
 * A browser-like client of a running photoferry: keeps the session cookie and CSRF token
 * (UI contract in docs/api.md), sends a same-origin `Origin` on writes, and keeps every
 * answer (status, headers, body) so a scan can look at all of them afterwards.
 */
export class ApiClient {
  readonly exchanges: Exchange[] = [];
  #cookie: string | undefined;
  #csrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  async call(path: string, options: CallOptions = {}): Promise<Response & { text: string }> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#cookie) headers.cookie = this.#cookie;
    if (method !== "GET" && method !== "HEAD") {
      headers.origin = this.baseUrl;
      if (this.#csrf) headers["x-csrf-token"] = this.#csrf;
    }
    // A test's own headers win; an empty value leaves that header out.
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === "") delete headers[name];
      else headers[name] = value;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    this.record(`${method} ${path}`, response, text);
    const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]);
    if (cookie.length > 0) this.#cookie = cookie.join("; ");
    return Object.assign(response, { text });
  }

  record(what: string, response: Response, text: string): void {
    const headers = JSON.stringify([...response.headers.entries()]);
    this.exchanges.push({ what, status: response.status, text: `${headers}\n${text}` });
  }

  /**
   * Logs in when the server asks for a password; returns false when this photoferry has no
   * session endpoint (access control not built) or needs no password.
   */
  async logIn(password: string): Promise<boolean> {
    const session = await this.call("/api/session");
    if (session.status === 404) return false;
    const state = JSON.parse(session.text) as SessionReply;
    if (!state.passwordRequired || state.authenticated) {
      this.#csrf = state.csrfToken ?? undefined;
      return false;
    }
    const login = await this.call("/api/login", { method: "POST", body: { password } });
    if (login.status !== 200) throw new Error(`login failed with ${login.status}: ${login.text}`);
    this.#csrf = (JSON.parse(login.text) as SessionReply).csrfToken ?? undefined;
    return true;
  }

  /** Reads an event stream for `ms`, then hangs up; the bytes count as one exchange. */
  async readStream(path: string, ms: number): Promise<string> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.#cookie) headers.cookie = this.#cookie;
    const response = await fetch(`${this.baseUrl}${path}`, { headers, signal: controller.signal });
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
    this.record(`STREAM ${path}`, response, text);
    return text;
  }
}
