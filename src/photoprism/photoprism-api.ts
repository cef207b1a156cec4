import { z } from "zod";
import { errorCode } from "../errno.js";
import type { PhotoPrismLookup } from "../engine/library-lookup.js";
import { nodeHttpFetch, type FetchLike } from "./node-http-fetch.js";
import {
  errorForStatus,
  PhotoPrismApiError,
  type PhotoPrismOperation,
} from "./photoprism-api-error.js";

/** A file PhotoPrism has indexed, as `GET /api/v1/files/<sha1>` describes it. */
export interface PhotoPrismFile {
  /** Path relative to `root`; for originals, relative to the originals folder. */
  name: string;
  /** "/" (or "" on old versions) = originals, "sidecar" = PhotoPrism's sidecar storage. */
  root: string;
  photoUid: string;
  size: number | null;
  hash: string;
}

export interface PhotoPrismApiOptions {
  /** PhotoPrism's base URL, with its site path if it has one. */
  url: string;
  /** The app password; sent only as a Bearer header, never logged. */
  token: string;
  /** Default: `nodeHttpFetch` (global fetch would give up on an import after 300 s). */
  fetch?: FetchLike;
  /** Limit for look-ups and status calls. */
  requestTimeoutMs?: number;
}

const fileAnswer = z.object({
  Name: z.string().min(1),
  Root: z.string().optional(),
  PhotoUID: z.string().optional(),
  Size: z.number().optional(),
  Hash: z.string(),
});

const sha1Pattern = /^[0-9a-f]{40}$/i;

/**
 * PhotoPrism's REST API, as far as photoferry needs it. Every call has a time limit; the
 * import (synchronous in PhotoPrism, minutes for a large batch) gets its own.
 */
export class PhotoPrismApi {
  private readonly base: URL;
  private readonly fetch: FetchLike;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: PhotoPrismApiOptions) {
    const base = URL.canParse(options.url) ? new URL(options.url) : null;
    if (!base || (base.protocol !== "http:" && base.protocol !== "https:")) {
      throw new Error(`photoprism.api.url must be an http(s) address, e.g. http://photoprism:2342`);
    }
    if (base.username || base.password) {
      throw new Error(
        "photoprism.api.url must not contain a user name or password: photoferry sends the app " +
          "password as a Bearer token",
      );
    }
    if (options.token.trim() === "") throw new Error("the PhotoPrism app password is empty");
    if (!/^[\x21-\x7e]+$/.test(options.token)) {
      throw new Error(
        "the PhotoPrism app password contains spaces, line breaks or other characters an HTTP " +
          "header cannot carry (a stray line in the token file?)",
      );
    }
    this.base = base;
    this.fetch = options.fetch ?? nodeHttpFetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /**
   * Imports `path` (a folder relative to PhotoPrism's import folder). PhotoPrism answers when
   * the import is done — and also, with the same 200, when it was busy and did nothing, so the
   * caller must verify the result on disk. On timeout the import is cancelled.
   */
  async importFolder(
    path: string,
    options: { move: true; albums: string[] },
    timeoutMs: number,
  ): Promise<{ message: string }> {
    if (path === "" || path.startsWith("/") || path.split("/").some((part) => part === "..")) {
      throw new Error(`'${path}' is not a folder inside PhotoPrism's import folder`);
    }
    const body = JSON.stringify({ path, move: options.move, albums: options.albums });
    let answer: { status: number; text: string };
    try {
      answer = await this.call("POST", "import/", "import", timeoutMs, body);
    } catch (error) {
      if (!(error instanceof PhotoPrismApiError) || error.kind !== "timeout") throw error;
      const cancelled = await this.cancelImport().then(
        () => "photoferry asked PhotoPrism to cancel it",
        () => "photoferry could not cancel it, so PhotoPrism may still be importing",
      );
      throw new PhotoPrismApiError(
        "timeout",
        `the import of ${path} did not finish within ${Math.round(timeoutMs / 1000)} s; ${cancelled}`,
        "raise the import time limit or let batches be smaller; files PhotoPrism has not " +
          "taken yet stay in the batch folder and are checked afterwards",
        null,
      );
    }
    if (answer.status !== 200) throw this.refused(answer, "import");
    const parsed = parseJson(answer.text);
    const message = isRecord(parsed) && typeof parsed.message === "string" ? parsed.message : "";
    return { message };
  }

  /** Stops a running import (and indexing: PhotoPrism shares one worker for both). */
  async cancelImport(): Promise<void> {
    const answer = await this.call("DELETE", "import", "cancel", this.requestTimeoutMs);
    if (answer.status !== 200) throw this.refused(answer, "cancel");
  }

  /** The indexed file with this SHA-1, or null when PhotoPrism does not know the content. */
  async fileBySha1(sha1: string): Promise<PhotoPrismFile | null> {
    if (!sha1Pattern.test(sha1)) throw new Error(`'${sha1}' is not a SHA-1 (40 hex digits)`);
    const answer = await this.call("GET", `files/${sha1}`, "file look-up", this.requestTimeoutMs);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw this.refused(answer, "file look-up");
    const parsed = fileAnswer.safeParse(parseJson(answer.text));
    if (!parsed.success || parsed.data.Hash.toLowerCase() !== sha1.toLowerCase()) {
      throw unreadable("file look-up");
    }
    const file = parsed.data;
    return {
      name: file.Name,
      root: file.Root ?? "/",
      photoUid: file.PhotoUID ?? "",
      size: file.Size ?? null,
      hash: file.Hash,
    };
  }

  /** Liveness only (no authentication): `{"status":"operational"}`. */
  async status(): Promise<{ status: string }> {
    const answer = await this.call("GET", "status", "status", this.requestTimeoutMs);
    if (answer.status !== 200) throw this.refused(answer, "status");
    const parsed = parseJson(answer.text);
    if (!isRecord(parsed) || typeof parsed.status !== "string") throw unreadable("status");
    return { status: parsed.status };
  }

  private async call(
    method: string,
    path: string,
    operation: PhotoPrismOperation,
    timeoutMs: number,
    body?: string,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(`${this.base.pathname.replace(/\/+$/, "")}/api/v1/${path}`, this.base);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await this.fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new PhotoPrismApiError(
          "timeout",
          `PhotoPrism did not answer the ${operation} within ${Math.round(timeoutMs / 1000)} s`,
          "PhotoPrism may be overloaded; photoferry will try again",
          null,
        );
      }
      throw this.unreachable(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private unreachable(operation: PhotoPrismOperation, error: unknown): PhotoPrismApiError {
    const cause = error instanceof Error ? error.cause : undefined;
    const code = errorCode(cause) ?? errorCode(error);
    const why = code ?? (error instanceof Error ? error.message : String(error));
    return new PhotoPrismApiError(
      "transient",
      `could not reach PhotoPrism at ${this.base.origin} for the ${operation}: ${this.scrub(why)}`,
      "PhotoPrism is not running or not reachable at photoprism.api.url; photoferry will try again",
      null,
    );
  }

  private refused(
    answer: { status: number; text: string },
    operation: PhotoPrismOperation,
  ): PhotoPrismApiError {
    const detail = detailOf(answer.text);
    return errorForStatus(answer.status, operation, detail === null ? null : this.scrub(detail));
  }

  private scrub(text: string): string {
    return text.replaceAll(this.options.token, "[app password]");
  }
}

/** `PhotoPrismLookup` for the planner: where PhotoPrism keeps content it already has. */
export class PhotoPrismSha1Lookup implements PhotoPrismLookup {
  constructor(private readonly api: Pick<PhotoPrismApi, "fileBySha1">) {}

  async findBySha1(sha1: string): Promise<{ where: string } | null> {
    const file = await this.api.fileBySha1(sha1);
    return file ? { where: whereOf(file) } : null;
  }
}

/** `originals/<name>` for a file in originals, else `<root>/<name>`. */
export function whereOf(file: Pick<PhotoPrismFile, "name" | "root">): string {
  const root = file.root === "/" || file.root === "" ? "originals" : file.root.replace(/^\/+/, "");
  return `${root}/${file.name.replace(/^\/+/, "")}`;
}

function unreadable(operation: PhotoPrismOperation): PhotoPrismApiError {
  return new PhotoPrismApiError(
    "protocol",
    `PhotoPrism's answer to the ${operation} could not be read`,
    "check that photoprism.api.url is PhotoPrism's address (including its site path, if it has " +
      "one) and not a proxy's error page",
    200,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** PhotoPrism's `{"error": "..."}` text, shortened; never the raw body (it may be a page). */
function detailOf(text: string): string | null {
  const parsed = parseJson(text);
  if (!isRecord(parsed) || typeof parsed.error !== "string") return null;
  return parsed.error.slice(0, 200);
}
