// `npm run bench`: every benchmark, each printing its figure beside a baseline from the same run.
import { startBenchCluster } from './benchStack';
import { catchUp } from './catchUp';
import { flood } from './flood';
import { kioskBrowse } from './kiosk';
import { lanDelivery } from './lanDelivery';
import { csvImport, menuEditorLoad, menuPublish } from './headOffice';
import { memory } from './memory';
import { menuFanOut } from './menuFanOut';
import { orderToKitchen } from './orderToKitchen';
import { reports } from './reports';
import { throughput } from './throughput';

const benchmarks = { orderToKitchen, throughput, catchUp, menuFanOut, memory, flood, menuPublish, csvImport, menuEditorLoad, kioskBrowse, reports, lanDelivery };
const only = process.argv.slice(2);

const cluster = await startBenchCluster();
try {
  console.log(`Tillsync benchmarks — Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
  for (const [name, run] of Object.entries(benchmarks)) {
    if (only.length > 0 && !only.includes(name)) continue;
    console.log(`▸ ${name}`);
    await run(cluster);
    console.log();
  }
} finally {
  await cluster.close();
}
process.exit(0);
