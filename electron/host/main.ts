// `npm run terminal`: one terminal in a browser. The same core as the Electron app, served by the
// web host — for a tablet used as an extra kitchen screen, or to try a terminal without Electron.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readTerminalConfig } from '../core/terminalConfig';
import { createTerminalCore } from '../core/terminalCore';
import { startWebHost } from './webHost';

const HostEnvSchema = z.object({
  TILLSYNC_HOST_PORT: z.coerce.number().int().min(0).max(65_535).default(5173),
  /** 127.0.0.1 keeps the screen on this machine; 0.0.0.0 lets other devices on the network open it. */
  TILLSYNC_HOST_BIND: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1'),
  /** Names other devices reach this machine by (e.g. kitchen-pc.local), besides its addresses. */
  TILLSYNC_HOST_NAMES: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean)),
});

const log = (message: string, fields?: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), message, ...fields }));

try {
  const host = HostEnvSchema.parse(process.env);
  const config = readTerminalConfig(process.env, '.tillsync/terminal');
  const core = await createTerminalCore({ ...config, log });
  const web = await startWebHost({
    core,
    rendererDir: fileURLToPath(new URL('../../dist/renderer', import.meta.url)),
    port: host.TILLSYNC_HOST_PORT,
    host: host.TILLSYNC_HOST_BIND,
    hostNames: host.TILLSYNC_HOST_NAMES,
    log,
  });
  console.log(`Terminal ready: open ${web.url}`);
  if (web.networkUrls.length > 0) {
    // Staff read these off the terminal itself; its screen shows them too.
    console.log(`Other devices of the network: open ${web.networkUrls.join(' or ')} and give the screen PIN ${core.screens.pin()}`);
  }
  const stop = async () => {
    await web.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
