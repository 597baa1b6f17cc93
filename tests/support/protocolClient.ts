// A bare protocol client: a real Socket.IO connection speaking the terminal protocol, without a
// terminal core behind it. Tests use it to send exactly the bytes they mean to, good or bad.
import { io, type Socket } from 'socket.io-client';
import type { Result } from '#protocol/errors';
import { TERMINAL_NAMESPACE, type Change } from '#protocol/events';

export interface ProtocolClient {
  socket: Socket;
  /** Live changes received so far. */
  live: Change[];
  request<T = unknown>(event: string, payload: unknown, timeoutMs?: number): Promise<Result<T>>;
  close(): void;
}

export interface ConnectOptions {
  /** Keep the live changes received (load generators must not hoard them). */
  keepLive?: boolean;
  /** The loopback address to connect from, to be another client (127.0.0.2, …). */
  localAddress?: string;
  /** Headers of the handshake, e.g. the X-Forwarded-For a proxy would add. */
  headers?: Record<string, string>;
}

export async function connectProtocolClient(serverUrl: string, auth: unknown, { keepLive = true, localAddress, headers }: ConnectOptions = {}): Promise<ProtocolClient> {
  const socket = io(new URL(TERMINAL_NAMESPACE, serverUrl).toString(), {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(localAddress ? { localAddress } : {}),
    ...(headers ? { extraHeaders: headers } : {}),
  } as Parameters<typeof io>[1]);
  const live: Change[] = [];
  // Load generators receive their stores' changes too, and must not hoard them.
  if (keepLive) socket.on('feed:changes', (batch: { changes: Change[] }) => live.push(...batch.changes));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(Object.assign(new Error('no answer to the handshake'), { data: { code: 'NO_ANSWER' } }));
    }, 5000);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    // A handshake Socket.IO itself cannot parse is dropped before any code can be sent.
    // (A refusal with a code also closes the connection: give its packet the moment to arrive first.)
    socket.io.once('close', () =>
      setTimeout(() => {
        clearTimeout(timer);
        reject(Object.assign(new Error('connection closed during the handshake'), { data: { code: 'CONNECTION_CLOSED' } }));
      }, 100),
    );
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(error.message), { data: error.data }));
    });
  });
  return {
    socket,
    live,
    request: (event, payload, timeoutMs = 10_000) => socket.timeout(timeoutMs).emitWithAck(event, payload),
    close: () => void socket.disconnect(),
  };
}

/** The code a connection attempt is refused with, or null if it connects. */
export async function refusalOf(serverUrl: string, auth: unknown, options: ConnectOptions = {}): Promise<string | null> {
  try {
    (await connectProtocolClient(serverUrl, auth, options)).close();
    return null;
  } catch (error) {
    return ((error as { data?: { code?: string } }).data?.code as string | undefined) ?? 'NO_CODE';
  }
}
