// The web host: serves the renderer over HTTP and the TerminalApi over a WebSocket, so a terminal
// runs in any browser — how the end-to-end tests drive it, and how a tablet becomes an extra
// kitchen screen. Same core, same validation as the Electron IPC path.
//
// Who may drive the terminal: only requests naming this machine (a page on another site cannot
// rebind a name of its own to it), only pages this host served (Origin), and, from any other
// device of the network, only a browser that gave the PIN shown on the terminal's own screen.
// Pairing and the PIN itself are for the terminal's own screen alone.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { parse as parseCookies, serialize as cookie } from 'cookie';
import { RateLimiterMemory, RateLimiterRes } from '../../sync-server/limits/rateLimiters';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Caller } from '../core/api/contract';
import type { TerminalCore } from '../core/terminalCore';
import { isLoopback, networkUrls, ServedNames } from './hostNames';
import { CONTENT_SECURITY_POLICY, IMMUTABLE, isPictureRequest, menuPictureFile, rendererFile, type RendererFile } from './rendererFiles';

export const API_PATH = '/api';
export const SCREEN_COOKIE = 'tillsync_screen';
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_BODY_BYTES = 1024;
/** A screen let in stays in for a month, and again whenever it is used. */
const SCREEN_SESSION_SECONDS = 30 * 24 * 3600;

const CallSchema = z.strictObject({ id: z.int().min(0), op: z.string().max(64), input: z.unknown().optional() });
const PinSchema = z.strictObject({ pin: z.string().regex(/^\d{6}$/) });

export interface WebHostOptions {
  core: TerminalCore;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** 127.0.0.1 by default; 0.0.0.0 lets tablets on the shop's network use this terminal. */
  host?: string;
  /** Names other devices reach this machine by, besides its own addresses (TILLSYNC_HOST_NAMES). */
  hostNames?: readonly string[];
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface WebHost {
  url: string;
  port: number;
  /** Where other devices of the network open this terminal (none when it listens on loopback only). */
  networkUrls: string[];
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, SECURITY_HEADERS).end();
    return;
  }
  const file = await rendererFile(root, new URL(req.url ?? '/', 'http://host').pathname);
  if (!file) {
    res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain' }).end('The screens are not built. Run: npm run build:renderer');
    return;
  }
  // Built assets carry a content hash in their names and never change; the page itself must not be cached.
  sendFile(req, res, file, file.path.includes(`${sep}assets${sep}`) ? IMMUTABLE : 'no-cache');
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: RendererFile, cache: string): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'content-length': file.size, 'cache-control': cache });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
}

/** A menu picture the kiosk keeps; one it lacks is a 404, not stored, so the screen asks again later. */
async function servePicture(core: TerminalCore, sentPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD' }).end();
    return;
  }
  const file = await menuPictureFile(core.pictures, sentPath);
  if (!file) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('This terminal has no such picture.');
    return;
  }
  sendFile(req, res, file, IMMUTABLE);
}

/** A small JSON body, or null for anything larger or not JSON. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_BODY_BYTES) return null;
  }
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

export async function startWebHost({ core, rendererDir, port = 0, host = '127.0.0.1', hostNames = [], log = () => {} }: WebHostOptions): Promise<WebHost> {
  const root = resolve(rendererDir);
  const names = new ServedNames(host, hostNames);
  // Wrong PINs, per device asking: a PIN is six digits, so guessing must be slow.
  const pinTries = new RateLimiterMemory({ points: 5, duration: 5 * 60 });
  const callerOf = (req: IncomingMessage): Caller => ({ local: isLoopback(req.socket.remoteAddress) });
  const screenToken = (req: IncomingMessage) => parseCookies(req.headers.cookie ?? '')[SCREEN_COOKIE];
  const letIn = (req: IncomingMessage) => callerOf(req).local || core.screens.holds(screenToken(req));
  /** The page's own origin; a request from another site's page carries that site's. */
  const sameOrigin = (req: IncomingMessage) => req.headers.origin === `http://${req.headers.host}`;

  async function givePin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!sameOrigin(req)) return json(res, 403, { error: { code: 'UNTRUSTED_CALLER', message: 'Give the PIN on the screen this terminal served.' } });
    const address = req.socket.remoteAddress ?? 'unknown';
    try {
      await pinTries.consume(address);
    } catch (refusal) {
      const wait = refusal instanceof RateLimiterRes ? refusal.msBeforeNext : 60_000;
      return json(res, 429, { error: { code: 'RATE_LIMITED', message: `Too many wrong PINs. Try again in ${Math.ceil(wait / 60_000)} minutes.`, retryAfterMs: wait } }, { 'retry-after': String(Math.ceil(wait / 1000)) });
    }
    const parsed = PinSchema.safeParse(await readJson(req));
    const token = parsed.success ? core.screens.grant(parsed.data.pin, address) : null;
    if (!token) return json(res, 403, { error: { code: 'SCREEN_PIN_WRONG', message: 'That is not the PIN shown on the terminal.' } });
    await pinTries.delete(address);
    log('a screen on the network was let in', { address });
    res.writeHead(204, {
      ...SECURITY_HEADERS,
      'cache-control': 'no-store',
      'set-cookie': cookie(SCREEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: SCREEN_SESSION_SECONDS }),
    });
    res.end();
  }

  const http = createServer((req, res) => {
    // A name this machine does not answer to: a page elsewhere has rebound its own name to us.
    if (!names.allows(req.headers.host, bound)) return json(res, 421, { error: { code: 'UNTRUSTED_CALLER', message: 'This terminal does not answer to that name.' } });
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    // The path as sent, before URL parsing resolves dot segments: /media/../x is no picture, nor a page.
    const sentPath = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    const handled =
      path === '/screen-access' && req.method === 'GET'
        ? Promise.resolve(json(res, 200, { local: callerOf(req).local, granted: letIn(req) }))
        : path === '/screen-pin' && req.method === 'POST'
          ? givePin(req, res)
          : isPictureRequest(sentPath, path)
            ? servePicture(core, sentPath, req, res)
            : serveFile(root, req, res);
    handled.catch((error: unknown) => {
      log('web host could not answer a request', { url: req.url, error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // A malformed request ends its own connection, nothing more.
  http.on('clientError', (error, socket) => {
    log('web host refused a malformed request', { error: error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });

  const wss = new WebSocketServer({
    server: http,
    path: API_PATH,
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) => {
      if (!names.allows(req.headers.host, bound)) return done(false, 421, 'Misdirected Request');
      // Only pages this host served may drive the terminal: no other site open in the same browser.
      if (!sameOrigin(req)) return done(false, 403, 'Forbidden');
      if (!letIn(req)) return done(false, 401, 'Give the screen PIN first');
      done(true);
    },
  });
  wss.on('error', (error) => log('web host socket server failed', { error: error.message }));

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const caller = callerOf(req);
    const send = (message: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
    const unsubscribe = core.onEvent((event) => send({ event }));
    socket.on('close', unsubscribe);
    // An oversized frame, invalid UTF-8, a broken frame: that connection ends, nothing else does.
    socket.on('error', (error) => {
      log('web host closed a connection after a bad frame', { error: error.message });
      socket.terminate();
    });
    socket.on('message', (data) => {
      let call: z.output<typeof CallSchema>;
      try {
        call = CallSchema.parse(JSON.parse(String(data)));
      } catch {
        send({ id: null, result: { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'Send {"id", "op", "input"} as JSON.' } } });
        return;
      }
      void core.call(call.op, call.input, caller).then((result) => send({ id: call.id, result }));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolveListen());
  });
  http.on('error', (error) => log('web host failed', { error: error.message }));
  const bound = (http.address() as AddressInfo).port;
  const urls = networkUrls(host, bound);
  core.setNetworkUrls(urls);
  return {
    url: `http://${isLoopback(host) || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${bound}`,
    port: bound,
    networkUrls: urls,
    async close() {
      core.setNetworkUrls([]);
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
