// What the terminals' and head office's Socket.IO namespaces share at the door: a refusal the
// client can read, and a cap on the sockets one holder (a device, a session) keeps open.
import type { ErrorBody } from '../protocol/errors';

/** A refusal as Socket.IO hands it to the client's connect_error listener (`error.data`). */
export function connectRefusal(body: ErrorBody): Error {
  return Object.assign(new Error(body.message), { data: body });
}

/** A namespace as far as counting a room's sockets over every node goes (the adapter asks them all). */
interface SocketsByRoom {
  in(room: string): { fetchSockets(): Promise<Array<{ handshake: { issued: number }; disconnect(close: boolean): unknown }>> };
}

/**
 * Closes the oldest sockets of `room` beyond `keep`, so that one holder's reconnections and copies
 * cannot pile up connections: a terminal reconnecting before the server noticed its old socket was
 * gone needs two, a head-office user a tab each.
 */
export async function keepNewestSockets(nsp: SocketsByRoom, room: string, keep: number): Promise<void> {
  const sockets = await nsp.in(room).fetchSockets();
  if (sockets.length <= keep) return;
  sockets.sort((a, b) => b.handshake.issued - a.handshake.issued);
  for (const socket of sockets.slice(keep)) socket.disconnect(true);
}
