import { rmSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";

/**
 * A unix-socket relay in front of a Docker socket. `cut()` drops every open connection and
 * stops listening: to a client this is exactly an engine that died (broken streams, then
 * nothing listening), without killing a real daemon and leaving its containers behind.
 */
export interface SocketRelay {
  socketPath: string;
  cut(): Promise<void>;
}

export async function startSocketRelay(
  targetPath: string,
  socketPath: string,
): Promise<SocketRelay> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(targetPath);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
      rmSync(socketPath, { force: true });
    },
  };
}
