// `npm run server`: the sync server on DATABASE_URL, or on an embedded PostgreSQL without it.
import { readServerConfig } from './config';
import { jsonLogger } from './log';
import { startSyncServer } from './runtime';

const log = jsonLogger();
try {
  const running = await startSyncServer(readServerConfig(), log);
  log.info('ready', { url: running.url, health: `${running.url}/health` });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  log.error('could not start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
