import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * The part of `fetch` the PhotoPrism client uses, over `node:http(s)`. Node's global fetch
 * (undici) gives up on any answer whose headers take longer than 300 s, and PhotoPrism's
 * import answers only when the whole import is done — often later than that. Here the only
 * limit is the caller's AbortSignal.
 */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

export const nodeHttpFetch: FetchLike = (input, init) => {
  const url = new URL(input.href);
  const signal = init.signal ?? undefined;
  const headers = new Headers(init.headers);
  const body = typeof init.body === "string" ? init.body : undefined;
  if (init.body != null && body === undefined) {
    return Promise.reject(new TypeError("nodeHttpFetch sends string bodies only"));
  }
  if (body !== undefined) headers.set("Content-Length", String(Buffer.byteLength(body)));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const request = send(url, {
      method: init.method ?? "GET",
      headers: Object.fromEntries(headers),
    });
    const onAbort = (): void => {
      request.destroy(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = (): void => signal?.removeEventListener("abort", onAbort);
    request.on("error", (error) => {
      done();
      reject(signal?.aborted ? abortError() : new TypeError("fetch failed", { cause: error }));
    });
    request.on("response", (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        done();
        reject(signal?.aborted ? abortError() : new TypeError("fetch failed", { cause: error }));
      });
      response.on("end", () => {
        done();
        const status = response.statusCode ?? 0;
        const nullBody = status === 204 || status === 304;
        try {
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status }));
        } catch (error) {
          // A status Response cannot hold (1xx): no answer photoferry can use.
          reject(new TypeError("fetch failed", { cause: error }));
        }
      });
    });
    request.end(body);
  });
};

const abortError = (): DOMException => new DOMException("This operation was aborted", "AbortError");
