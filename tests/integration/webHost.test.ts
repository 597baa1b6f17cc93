// The web host must let go when the terminal shuts down, whatever the browser still holds open:
// a screen's live connection, and the spare sockets Chromium opens ahead of requests it may never make.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { startWebHost } from '../../electron/host/webHost';

let dir: string;
let core: TerminalCore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-webhost-'));
  core = await createTerminalCore({ databaseFile: join(dir, 'terminal.db') });
});
afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const ended = (socket: Socket | WebSocket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

it('closes with a screen connected and a spare socket that never sent a request', async () => {
  const host = await startWebHost({ core, rendererDir: dir });
  const screen = new WebSocket(`${host.url.replace('http', 'ws')}/api`, { origin: host.url });
  await new Promise((resolve, reject) => screen.once('open', resolve).once('error', reject));
  const spare = connect(host.port, '127.0.0.1');
  await new Promise((resolve) => spare.once('connect', resolve));
  const screenEnded = ended(screen);
  const spareEnded = ended(spare);

  await host.close();
  await Promise.all([screenEnded, spareEnded]);
  // Nothing listens any more: a new screen cannot connect to a closed terminal.
  await expect(new Promise((resolve, reject) => connect(host.port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
});
