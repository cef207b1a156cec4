export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** As OpenAPI writes it: `/api/runs/{id}`. */
  path: string;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Every route in the server's own OpenAPI document: the scans cover what the server says it has. */
export function routesOf(document: unknown): ApiRoute[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const routes: ApiRoute[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    for (const method of METHODS) {
      if (operations[method])
        routes.push({ method: method.toUpperCase() as ApiRoute["method"], path });
    }
  }
  return routes;
}

/** `/api/runs/{id}` with `{ id: "3" }` → `/api/runs/3`; throws when a parameter has no value. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
}
