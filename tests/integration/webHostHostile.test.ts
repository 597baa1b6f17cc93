// The terminal's web host under hostile input, from this machine: oversized and broken frames end
// that connection only, fuzzed calls get known codes, and names or origins that are not the
// terminal's own (a page elsewhere rebinding its name to this machine) get nothing.
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { startWebHost, type WebHost } from '../../electron/host/webHost';
import { ERROR_CODES } from '#protocol/errors';

let dir: string;
let core: TerminalCore;
let host: WebHost;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-hostile-'));
  core = await createTerminalCore({ databaseFile: join(dir, 'terminal.db') });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Tillsync</title>');
  host = await startWebHost({ core, rendererDir: dir });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const KNOWN_CODES = new Set(Object.keys(ERROR_CODES));

function open(headers: { host?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api`, { origin: headers.origin ?? host.url, ...(headers.host ? { headers: { host: headers.host } } : {}) });
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject).once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`))));
}
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

/** Calls an operation and waits for its answer. */
function call(ws: WebSocket, op: string, input?: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: { ok: boolean; error?: { code: string } } };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.result!);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, op, input }));
  });
}

/** The host still serves pages and calls. */
async function stillUp(): Promise<void> {
  expect((await fetch(`${host.url}/screen-access`)).status).toBe(200);
  const ws = await open();
  expect(await call(ws, 'getStatus')).toMatchObject({ ok: true });
  ws.close();
}

describe('frames that once took the host down', () => {
  it('closes a connection that sends a frame over 256 KiB, and only that one', async () => {
    const bystander = await open();
    const ws = await open();
    const code = closed(ws);
    ws.send(JSON.stringify({ id: 1, op: 'getStatus', input: 'x'.repeat(300 * 1024) }));
    expect(await code).toBe(1009);
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    expect(await call(bystander, 'getStatus')).toMatchObject({ ok: true });
    bystander.close();
    await stillUp();
  });

  it('closes a connection that sends text that is not UTF-8', async () => {
    const ws = await open();
    const code = closed(ws);
    ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0xa0, 0xa1, 0x7d]), { binary: false });
    expect(await code).toBe(1007);
    await stillUp();
  });

  it('answers a malformed HTTP request with 400 and serves the next', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(host.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += String(chunk)));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1.1 400/);
    await stillUp();
  });
});

describe('every message, fuzzed', () => {
  it('answers every call with a result or a known code, and stays up', async () => {
    const ws = await open();
    const nasty = fc.oneof(fc.anything({ maxDepth: 3 }), fc.string({ maxLength: 50 }), fc.constantFrom(null, -1, 2 ** 53, '__proto__', '💥', '\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('getStatus', 'pair', 'getMenu', 'placeOrder', 'listTickets', 'bumpTicket', 'recallTicket', 'getBoard', 'getScreenAccess', 'renewScreenPin', 'nope', '__proto__', 'constructor'), nasty, async (op, input) => {
        const result = await call(ws, op, input);
        if (!result.ok) expect(KNOWN_CODES.has(result.error!.code), JSON.stringify(result)).toBe(true);
      }),
      { numRuns: 300 },
    );
    // Frames that are no call at all: answered with a code, or the connection ends; never the host.
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))), async (frame) => {
        const victim = await open();
        const ended = closed(victim);
        const answered = new Promise((resolve) => victim.once('message', resolve));
        victim.send(frame);
        await Promise.race([answered, ended]);
        victim.terminate();
      }),
      { numRuns: 200 },
    );
    ws.close();
    await stillUp();
  });
});

describe('names and origins', () => {
  const get = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => request(`${host.url}/`, { headers }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject).end());

  it('refuses a page or a call under a name that is not this machine\'s (DNS rebinding)', async () => {
    expect(await get({ host: `evil.example:${host.port}` })).toBe(421);
    expect(await get({ host: `127.0.0.1:${host.port + 1}` })).toBe(421);
    await expect(open({ host: `evil.example:${host.port}`, origin: `http://evil.example:${host.port}` })).rejects.toThrow('HTTP 421');
    expect(await get({ host: `localhost:${host.port}` })).toBe(200);
    expect(await get({ host: `127.0.0.1:${host.port}` })).toBe(200);
  });

  it('refuses a call from a page another site served', async () => {
    await expect(open({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(open({ origin: `http://localhost:${host.port + 1}` })).rejects.toThrow('HTTP 403');
  });
});
