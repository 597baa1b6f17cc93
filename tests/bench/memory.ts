// The sync server's resident memory with 1,000 connected terminals (light protocol clients that
// have said hello and caught up). Baseline: a bare Socket.IO server process holding the same
// number of websocket connections.
import { loopbackAddress } from '../support/addresses';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { runTs } from '../support/childProcess';
import { freePort } from '../../sync-server/db/embeddedPostgres';
import { readFile } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import { startWorld, type BenchCluster } from './benchStack';
import { report } from './stats';

const TERMINALS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMiB = async (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function bareSocketIo(): Promise<{ idle: number; loaded: number }> {
  const port = await freePort();
  const server = runTs('tests/bench/bareSocketServer.ts', { PORT: String(port) });
  await server.waitFor(/^ready$/);
  await sleep(500);
  const idle = await rssMiB(server.process.pid!);
  const clients: Socket[] = [];
  for (let i = 0; i < TERMINALS; i++) {
    const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
    await new Promise((r) => client.once('connect', () => r(undefined)));
    clients.push(client);
  }
  await sleep(1000);
  const loaded = await rssMiB(server.process.pid!);
  clients.forEach((c) => c.close());
  await server.kill();
  return { idle, loaded };
}

export async function memory(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 10);
  try {
    await sleep(500);
    const idle = await world.serverRssMiB();
    const clients: ProtocolClient[] = [];
    for (let i = 0; i < TERMINALS; i++) {
      const { token } = await world.device(world.stores[i % 10]!, (['kiosk', 'kitchen', 'board'] as const)[i % 3]!);
      const client = await connectProtocolClient(world.url, { token }, { keepLive: false, localAddress: loopbackAddress(i) });
      await client.request('session:hello', { protocolVersion: 1, cursor: 0 });
      await client.request('feed:snapshot', {});
      clients.push(client);
    }
    await sleep(1000);
    const loaded = await world.serverRssMiB();
    clients.forEach((c) => c.close());
    const bare = await bareSocketIo();
    report([
      {
        name: `sync server resident memory with ${TERMINALS} connected terminals`,
        value: `${loaded.toFixed(0)} MiB (${idle.toFixed(0)} MiB with none: ${(((loaded - idle) * 1024) / TERMINALS).toFixed(0)} KiB a terminal)`,
        baseline: `bare Socket.IO server with ${TERMINALS} websocket connections: ${bare.loaded.toFixed(0)} MiB (${bare.idle.toFixed(0)} MiB with none: ${(((bare.loaded - bare.idle) * 1024) / TERMINALS).toFixed(0)} KiB a connection)`,
      },
    ]);
  } finally {
    await world.close();
  }
}
