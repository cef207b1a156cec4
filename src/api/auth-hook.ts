import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * THE place where access control goes (a later issue): the password session or API token,
 * CSRF checks for state-changing requests, the `web.allow` CIDR allow-list and
 * `web.trustedProxies` / `web.auth.trustedHeader`. Every route, including /metrics and the
 * docs, passes through it. Today it lets every request through: photoferry has no
 * authentication yet, so expose the port only to a trusted network.
 *
 * An allow-list check can move to an `onRequest` hook here, so refused clients never get
 * their body parsed.
 */
export function accessControl(
  _request: FastifyRequest,
  _reply: FastifyReply,
  done: () => void,
): void {
  done();
}

export function registerAccessControl(app: FastifyInstance): void {
  app.addHook("preHandler", accessControl);
}
