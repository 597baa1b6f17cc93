// `npx tsx electron/simulators/receiptPrinterMain.ts [--port 9100] [--host 127.0.0.1] [--control-port 0]
//   [--state online] [--silent] [--receipts-dir <folder>]`
// The receipt printer simulator as a process of its own, as a printer is a device of its own.
// Prints one JSON line, {"port":N,"controlUrl":"http://127.0.0.1:M"}, once it listens; its state
// changes through the control URL (receiptPrinterControl.ts); SIGTERM or SIGINT stop it.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PRINTER_STATES, ReceiptPrinterSimulator } from './receiptPrinter';
import { startPrinterControl } from './receiptPrinterControl';

const Port = z.coerce.number().pipe(z.int().min(0).max(65_535));
const ArgsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(9100),
  'control-port': Port.default(0),
  state: z.enum(PRINTER_STATES).default('online'),
  silent: z.boolean().default(false),
  'receipts-dir': z.string().min(1).optional(),
});

const usage = `Usage: npx tsx electron/simulators/receiptPrinterMain.ts [--port <0-65535>] [--host <address>] [--control-port <0-65535>] [--state <${PRINTER_STATES.join('|')}>] [--silent] [--receipts-dir <folder>]`;
let values: unknown;
try {
  ({ values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'control-port': { type: 'string' },
      state: { type: 'string' },
      silent: { type: 'boolean' },
      'receipts-dir': { type: 'string' },
    },
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

const { host, port, 'control-port': controlPort, state, silent, 'receipts-dir': receiptsDir } = args.data;
// The first stdout line is the JSON one; the log goes to stderr so it never comes first.
const log = (message: string, fields?: Record<string, unknown>) => console.error(JSON.stringify({ time: new Date().toISOString(), message, ...fields }));
const printer = new ReceiptPrinterSimulator({ state, answersStatus: !silent, ...(receiptsDir ? { receiptsDir } : {}), log });
const listening = await printer.listen(port, host);
const control = await startPrinterControl(printer, { host, port: controlPort });
console.log(JSON.stringify({ port: listening, controlUrl: control.url }));

const stop = async () => {
  await control.close();
  await printer.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
