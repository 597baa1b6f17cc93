// SCRATCH
import { connectServerDatabase } from '../../sync-server/db/client';
import { silentLogger } from '../../sync-server/log';
import { CloseOfDay } from '../../sync-server/reports/closeOfDay';
const database = connectServerDatabase('postgresql://postgres:tillsync@127.0.0.1:55432/chain');
const t = performance.now();
const written = (await Promise.all([0, 1].map(() => new CloseOfDay(database.db, { log: silentLogger, now: Date.now }).summariseDue()))).flat();
console.log('summarised', written.length, performance.now() - t);
await database.close();
