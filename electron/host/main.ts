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
  TILLSYNC_HOST_BIND: z.string().min(1).default('127.0.0.1'),
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
    log,
  });
  console.log(`Terminal ready: open ${web.url}`);
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
