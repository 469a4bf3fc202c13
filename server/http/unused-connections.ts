import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks a server's connections that have not sent a request yet and returns a function that destroys
 * them; call it when the server closes.
 *
 * Node's `server.close()` destroys idle keep-alive connections, but counts a connection that has not
 * sent a byte as busy (so that `headersTimeout` can reap it) and then stops the timer that would reap
 * it: one such connection keeps the close waiting until the client hangs up. Clients do leave them:
 * `fetch` (undici) opens a spare connection when one of its requests is aborted, browsers preconnect.
 * Destroying them loses nothing, since no request was sent; a connection that has sent any bytes is left
 * to finish its request.
 */
export function trackUnusedConnections(server: Server): () => void {
  const unused = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (request: { socket: Socket }) => unused.delete(request.socket));
  return () => {
    for (const socket of unused) if (socket.bytesRead === 0) socket.destroy();
  };
}
