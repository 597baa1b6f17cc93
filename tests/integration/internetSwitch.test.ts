// The store's internet line as the demo and the continuity tests cut it: bytes go through while it
// is up; a reset refuses at once; a silent cut stalls what was open and answers nothing new; once
// restored, new connections go through again.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InternetSwitch } from '../../electron/internetSwitch';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server that answers every line with the same line upper-cased. */
async function shoutingServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => socket.write(data.toString().toUpperCase()));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return (server.address() as { port: number }).port;
}

/** What a connection through `url` hears back for `text` within `ms`: the answer, 'closed', or 'nothing'. */
function ask(url: string, text: string, ms = 500, socket?: Socket): Promise<{ heard: string; socket: Socket }> {
  const { hostname, port } = new URL(url);
  const s = socket ?? connect(Number(port), hostname);
  s.on('error', () => {});
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ heard: 'nothing', socket: s }), ms);
    s.once('data', (data) => (clearTimeout(timer), resolve({ heard: data.toString(), socket: s })));
    s.once('close', () => (clearTimeout(timer), resolve({ heard: 'closed', socket: s })));
    s.write(text);
  });
}

describe('the internet switch', () => {
  it('passes bytes while up, refuses when reset, stalls when cut silently, and comes back', async () => {
    const internet = new InternetSwitch({ host: '127.0.0.1', port: await shoutingServer() });
    const url = await internet.listen();
    cleanups.push(() => internet.close());

    const open = await ask(url, 'hello');
    expect(open.heard).toBe('HELLO');

    internet.cut('reset');
    expect((await ask(url, 'again')).heard).toBe('closed');
    expect(open.socket.destroyed).toBe(true);

    internet.restore();
    const second = await ask(url, 'back');
    expect(second.heard).toBe('BACK');

    internet.cut('silent');
    // The open connection hears nothing more and is not told; a new one is never answered.
    expect((await ask(url, 'anyone', 500, second.socket)).heard).toBe('nothing');
    expect(second.socket.destroyed).toBe(false);
    expect((await ask(url, 'new')).heard).toBe('nothing');

    internet.restore();
    expect((await ask(url, 'up')).heard).toBe('UP');
  });
});
