/**
 * Who made a request, as access control (`auth-hook.ts`) decided. Routes and the audit log
 * read it; only the access-control hook sets it.
 */
export interface Principal {
  /**
   * `open`: no password is configured and the client passed the allow-list;
   * `session`: the password session cookie; `header`: trusted-header SSO from a trusted proxy;
   * `token`: an API token (`Authorization: Bearer …`).
   */
  kind: "open" | "session" | "header" | "token";
  /** For people reading the audit log: the SSO user, the token's name, or "admin". */
  name: string;
  /** Read-only API tokens may only read. */
  canWrite: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** "session:admin", "token:backup-script", "header:alice", "open" — one string for logs. */
export function describePrincipal(principal: Principal | undefined): string {
  if (!principal) return "anonymous";
  return principal.kind === "open" ? "open" : `${principal.kind}:${principal.name}`;
}
