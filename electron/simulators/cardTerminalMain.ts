// `npx tsx electron/simulators/cardTerminalMain.ts [--port 0] [--host 127.0.0.1] [--card-wait-ms 60000]`
// The card terminal simulator as a process of its own, as a real terminal is a device of its own.
// Prints one JSON line, {"url":"http://127.0.0.1:PORT"}, once it listens; SIGTERM or SIGINT stop it.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startCardTerminal } from './cardTerminal';
import { DEFAULT_TIMINGS } from './cardTerminalPayments';

const Port = z.coerce.number().pipe(z.int().min(0).max(65_535));
const Ms = z.coerce.number().pipe(z.int().min(0).max(3_600_000));
const ArgsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(0),
  'customer-ms': Ms.default(DEFAULT_TIMINGS.customerMs),
  'processing-ms': Ms.default(DEFAULT_TIMINGS.processingMs),
  'card-wait-ms': Ms.default(DEFAULT_TIMINGS.cardWaitMs),
});

const usage = 'Usage: npx tsx electron/simulators/cardTerminalMain.ts [--port <0-65535>] [--host <address>] [--customer-ms <ms>] [--processing-ms <ms>] [--card-wait-ms <ms>]';
let values: unknown;
try {
  ({ values } = parseArgs({
    options: { host: { type: 'string' }, port: { type: 'string' }, 'customer-ms': { type: 'string' }, 'processing-ms': { type: 'string' }, 'card-wait-ms': { type: 'string' } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const args = ArgsSchema.safeParse(values);
if (!args.success) {
  console.error(`${args.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${usage}`);
  process.exit(2);
}

const { host, port, 'customer-ms': customerMs, 'processing-ms': processingMs, 'card-wait-ms': cardWaitMs } = args.data;
const terminal = await startCardTerminal({ host, port, timings: { customerMs, processingMs, cardWaitMs } });
console.log(JSON.stringify({ url: terminal.url }));

const stop = async () => {
  await terminal.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
