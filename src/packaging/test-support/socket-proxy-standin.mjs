// A stand-in for tecnativa/docker-socket-proxy (which cannot be pulled in the tests): listens
// on :2375 and forwards to /var/run/docker.sock only the API sections its environment allows,
// with the same variables and defaults (PING, VERSION, EVENTS on; POST off; the rest off).
// Refused requests get 403, as from the real proxy's HAProxy. Plain JavaScript: it runs
// inside a container with nothing but node.
import { createServer, request } from "node:http";
import { connect } from "node:net";

const SOCKET = process.env.DOCKER_SOCKET ?? "/var/run/docker.sock";
const DEFAULTS = { PING: "1", VERSION: "1", EVENTS: "1" };
const SECTIONS = [
  "AUTH",
  "BUILD",
  "COMMIT",
  "CONFIGS",
  "CONTAINERS",
  "DISTRIBUTION",
  "EVENTS",
  "EXEC",
  "GRPC",
  "IMAGES",
  "INFO",
  "NETWORKS",
  "NODES",
  "PING",
  "PLUGINS",
  "SECRETS",
  "SERVICES",
  "SESSION",
  "SWARM",
  "SYSTEM",
  "TASKS",
  "VERSION",
  "VOLUMES",
];
const on = (name) => (process.env[name] ?? DEFAULTS[name] ?? "0") === "1";

/** The section a path belongs to, after an optional /v1.xx prefix, e.g. /containers/x/json. */
function allowed(method, url) {
  const path = new URL(url, "http://proxy").pathname.replace(/^\/v[0-9.]+/, "");
  if (method !== "GET" && method !== "HEAD" && !on("POST")) return false;
  const first = path.split("/")[1] ?? "";
  const section = first === "_ping" ? "PING" : first.toUpperCase();
  return SECTIONS.includes(section) && on(section);
}

function refuse(res) {
  res.writeHead(403, { "content-type": "text/html" });
  res.end(
    "<html><body><h1>403 Forbidden</h1>Request forbidden by administrative rules.</body></html>\n",
  );
}

const server = createServer((req, res) => {
  if (!allowed(req.method, req.url)) return refuse(res);
  const upstream = request(
    { socketPath: SOCKET, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  req.pipe(upstream);
});

// `docker exec` start hijacks the connection (Upgrade: tcp): relay raw bytes both ways.
server.on("upgrade", (req, client, head) => {
  if (!allowed(req.method, req.url)) {
    client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  const upstream = connect(SOCKET, () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  for (const socket of [client, upstream])
    socket.on("error", () => {
      client.destroy();
      upstream.destroy();
    });
});

server.listen(2375, () => console.log("socket proxy stand-in listening on :2375"));
process.on("SIGTERM", () => process.exit(0));
