// Several real terminal cores in a process of their own, for benchmarks that need many terminals:
// one process per ten terminals lets their disk writes overlap, as separate machines' would.
// Prints "ready" once all are online, then "menu <core> <epoch ms>" each time one applies a menu change.
import { join } from 'node:path';
import { createTerminalCore } from '../../electron/core/terminalCore';

const { SERVER_URL, TOKENS, DIR } = process.env;
const now = () => performance.timeOrigin + performance.now();
const cores = await Promise.all(
  TOKENS!.split(',').map((token, i) => createTerminalCore({ databaseFile: join(DIR!, `fleet-${process.pid}-${i}.db`), serverUrl: SERVER_URL!, deviceToken: token })),
);
for (;;) {
  const statuses = await Promise.all(cores.map((core) => core.api.getStatus()));
  if (statuses.every((s) => s.connection === 'online')) break;
  await new Promise((r) => setTimeout(r, 50));
}
cores.forEach((core, i) => core.onEvent((event) => event.type === 'menu' && process.stdout.write(`menu ${i} ${now()}\n`)));
console.log('ready');
process.on('SIGTERM', async () => {
  await Promise.all(cores.map((core) => core.close()));
  process.exit(0);
});
