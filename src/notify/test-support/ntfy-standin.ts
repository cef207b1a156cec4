import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A message as ntfy would store it, whichever publishing form carried it. */
export interface PublishedMessage {
  form: "json" | "headers";
  topic: string;
  title: string | undefined;
  message: string;
  priority: number;
  tags: string[];
  click: string | undefined;
  markdown: boolean;
  auth: { kind: "bearer"; token: string } | { kind: "basic"; user: string } | null;
}

export interface NtfyStandinOptions {
  /** Access tokens allowed to publish. */
  tokens?: string[];
  /** Users (name → password) allowed to publish. */
  users?: Record<string, string>;
  /** Without credentials: allowed unless tokens or users are configured (ntfy's deny-all). */
  anonymous?: boolean;
}

export interface NtfyStandin {
  /** The server's root URL, without a trailing slash. */
  url: string;
  messages: PublishedMessage[];
  /** Every request, answered or not. */
  requests: { method: string; path: string; status: number; authorization: string | undefined }[];
  /** The next `count` publishes get 429 with this `Retry-After` (none when undefined). */
  rateLimit(count: number, retryAfter?: string): void;
  close(): Promise<void>;
}

const priorityNames: Record<string, number> = {
  min: 1,
  low: 2,
  default: 3,
  high: 4,
  max: 5,
  urgent: 5,
};
const topicPattern = /^[-_A-Za-z0-9]{1,64}$/;

/**
 * A local stand-in for ntfy's publish endpoint (no ntfy server package is available): the
 * JSON form (`POST /` with the topic in the body) and the header form (`POST /<topic>`,
 * `X-Title`, `X-Priority`, …), Bearer and basic auth, 429 rate limiting, `/v1/health`.
 * Error bodies follow ntfy's `{"code", "http", "error"}`.
 */
export async function startNtfyStandin(options: NtfyStandinOptions = {}): Promise<NtfyStandin> {
  const messages: PublishedMessage[] = [];
  const requests: NtfyStandin["requests"] = [];
  let limited = 0;
  let limitedRetryAfter: string | undefined;
  const protectedServer =
    (options.tokens?.length ?? 0) > 0 || Object.keys(options.users ?? {}).length > 0;
  const anonymous = options.anonymous ?? !protectedServer;

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    requests.push({
      method: req.method ?? "",
      path: req.url ?? "",
      status,
      authorization: req.headers.authorization,
    });
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: number,
    text: string,
    headers: Record<string, string> = {},
  ): void => answer(req, res, status, { code, http: status, error: text }, headers);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://standin").pathname;
      if (req.method === "GET" && path === "/v1/health")
        return answer(req, res, 200, { healthy: true });
      if (req.method !== "POST" && req.method !== "PUT")
        return error(req, res, 405, 40500, "method not allowed");

      const auth = parseAuth(req.headers.authorization);
      if (auth === "malformed") return error(req, res, 401, 40101, "unauthorized");
      if (auth) {
        const accepted =
          auth.kind === "bearer"
            ? (options.tokens ?? []).includes(auth.token)
            : options.users?.[auth.user] === auth.password;
        if (!accepted) return error(req, res, 401, 40101, "unauthorized");
      } else if (!anonymous) {
        return error(req, res, 403, 40301, "forbidden");
      }
      if (limited > 0) {
        limited--;
        const headers: Record<string, string> =
          limitedRetryAfter === undefined ? {} : { "Retry-After": limitedRetryAfter };
        return error(
          req,
          res,
          429,
          42901,
          "limit reached: too many requests, please be nice",
          headers,
        );
      }

      const parsed = path === "/" ? fromJson(body) : fromHeaders(path.slice(1), req, body);
      if (typeof parsed === "string")
        return error(req, res, 400, 40000, `invalid request: ${parsed}`);
      const message: PublishedMessage = {
        ...parsed,
        auth: auth ? (auth.kind === "bearer" ? auth : { kind: "basic", user: auth.user }) : null,
      };
      messages.push(message);
      answer(req, res, 200, {
        id: `m${messages.length}`,
        time: Math.floor(Date.now() / 1000),
        event: "message",
        topic: message.topic,
        title: message.title,
        message: message.message,
        priority: message.priority,
        tags: message.tags,
        click: message.click,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    rateLimit(count, retryAfter) {
      limited = count;
      limitedRetryAfter = retryAfter;
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      ),
  };
}

type Auth = { kind: "bearer"; token: string } | { kind: "basic"; user: string; password: string };

function parseAuth(header: string | undefined): Auth | "malformed" | undefined {
  if (header === undefined) return undefined;
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme === "Bearer" && value) return { kind: "bearer", token: value };
  if (scheme === "Basic" && value) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0)
      return { kind: "basic", user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return "malformed";
}

type Parsed = Omit<PublishedMessage, "auth">;

function fromJson(body: string): Parsed | string {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return "body is not JSON";
  }
  if (typeof data.topic !== "string" || !topicPattern.test(data.topic)) return "topic invalid";
  const priority = data.priority ?? 3;
  if (typeof priority !== "number" || !Number.isInteger(priority) || priority < 1 || priority > 5)
    return "priority invalid";
  const tags = data.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")) return "tags invalid";
  return {
    form: "json",
    topic: data.topic,
    title: typeof data.title === "string" ? data.title : undefined,
    message: typeof data.message === "string" ? data.message : "triggered",
    priority,
    tags,
    click: typeof data.click === "string" ? data.click : undefined,
    markdown: data.markdown === true,
  };
}

function fromHeaders(topic: string, req: IncomingMessage, body: string): Parsed | string {
  if (!topicPattern.test(topic)) return "topic invalid";
  const header = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = req.headers[name.toLowerCase()];
      if (typeof value === "string") return value;
    }
    return undefined;
  };
  const priorityText = header("X-Priority", "Priority", "prio", "p") ?? "3";
  const priority = priorityNames[priorityText] ?? Number(priorityText);
  if (!Number.isInteger(priority) || priority < 1 || priority > 5) return "priority invalid";
  const tags = header("X-Tags", "Tags", "ta");
  const markdown = header("X-Markdown", "Markdown", "md");
  return {
    form: "headers",
    topic,
    title: header("X-Title", "Title", "t"),
    message: body === "" ? "triggered" : body,
    priority,
    tags: tags ? tags.split(",").map((tag) => tag.trim()) : [],
    click: header("X-Click", "Click"),
    markdown: markdown !== undefined && ["yes", "true", "1"].includes(markdown.toLowerCase()),
  };
}
