// The web host: serves the renderer over HTTP and the TerminalApi over a WebSocket, so a terminal
// runs in any browser — how the end-to-end tests drive it, and how a tablet becomes an extra
// kitchen screen. Same core, same validation as the Electron IPC path.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { TerminalCore } from '../core/terminalCore';
import { CONTENT_SECURITY_POLICY, rendererFile } from './rendererFiles';

export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 256 * 1024;

const CallSchema = z.strictObject({ id: z.int().min(0), op: z.string().max(64), input: z.unknown().optional() });

export interface WebHostOptions {
  core: TerminalCore;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** 127.0.0.1 by default; 0.0.0.0 lets tablets on the shop's network use this terminal. */
  host?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  const file = await rendererFile(root, new URL(req.url ?? '/', 'http://host').pathname);
  if (!file) {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain' }).end('The screens are not built. Run: npm run build:renderer');
    return;
  }
  // Built assets carry a content hash in their names and never change; the page itself must not be cached.
  const cache = file.path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { ...headers, 'content-type': file.contentType, 'content-length': file.size, 'cache-control': cache });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file.path).pipe(res);
}

export async function startWebHost({ core, rendererDir, port = 0, host = '127.0.0.1', log = () => {} }: WebHostOptions): Promise<WebHost> {
  const root = resolve(rendererDir);
  const http = createServer((req, res) => {
    serveFile(root, req, res).catch((error: unknown) => {
      log('web host could not serve a file', { url: req.url, error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({
    server: http,
    path: API_PATH,
    maxPayload: MAX_MESSAGE_BYTES,
    // Only pages this host served may drive the terminal: no other site open in the same browser.
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => origin === `http://${req.headers.host}`,
  });

  wss.on('connection', (socket: WebSocket) => {
    const send = (message: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
    const unsubscribe = core.onEvent((event) => send({ event }));
    socket.on('close', unsubscribe);
    socket.on('message', (data) => {
      let call: z.output<typeof CallSchema>;
      try {
        call = CallSchema.parse(JSON.parse(String(data)));
      } catch {
        send({ id: null, result: { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'Send {"id", "op", "input"} as JSON.' } } });
        return;
      }
      void core.call(call.op, call.input).then((result) => send({ id: call.id, result }));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolveListen());
  });
  const bound = (http.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    port: bound,
    async close() {
      // Stop listening first, so a screen reconnecting right now cannot slip in; then drop what is
      // open. A browser keeps spare sockets it may never send a request on, and http.close alone
      // would wait for them for minutes.
      const closed = new Promise<void>((r) => http.close(() => r()));
      wss.close();
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await closed;
    },
  };
}
