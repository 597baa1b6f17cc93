// The kiosk's receipt printer on the shop's network: raw ESC/POS over TCP port 9100 (Epson's
// "RAW" port, which Star, Bixolon, Citizen and the generic Ethernet printers share). Before a
// receipt goes out the printer is asked for its real-time status (DLE EOT), so a customer is not
// promised a receipt from a printer with its cover open or no paper. Nothing here throws: the
// order is placed and paid whatever the printer does, and the outcome says what to tell them.
import { Socket } from 'node:net';
import { z } from 'zod';
import { layoutReceipt, type Receipt } from './receiptLayout';
import { PaperColumnsSchema, ReceiptCodepageSchema, type PaperSettings } from './receiptPaper';

export const DEFAULT_PRINTER_PORT = 9100;

/** `host[:port]`: `printer.lan`, `192.168.1.50:9100`, `[fd00::50]:9100`. The port is 9100 unless given. */
export const ReceiptPrinterAddressSchema = z
  .string()
  .trim()
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/, 'a printer address such as 192.168.1.50 or printer.lan:9100')
  .transform((value, ctx) => {
    const [, host = '', port] = /^\[?(.+?)\]?(?::(\d+))?$/.exec(value) ?? [];
    const number = port === undefined ? DEFAULT_PRINTER_PORT : Number(port);
    if (number < 1 || number > 65_535) ctx.addIssue({ code: 'custom', message: 'the port must be 1 to 65535' });
    return { host, port: number };
  });

/**
 * The kiosk's receipt printer settings, from the environment (README: "Receipt printers").
 * Meant to be merged into the terminal's own environment schema.
 */
export const ReceiptPrinterEnvSchema = z.object({
  /** Where the printer listens; without it the kiosk prints no receipts. */
  TILLSYNC_RECEIPT_PRINTER: ReceiptPrinterAddressSchema.optional(),
  /** Characters per line of the printer's Font A: 48 (80 mm paper, 203 dpi) or 42 (180 dpi). */
  TILLSYNC_RECEIPT_COLUMNS: z.enum(['42', '48']).default('48').transform(Number).pipe(PaperColumnsSchema),
  TILLSYNC_RECEIPT_CODEPAGE: ReceiptCodepageSchema.default('windows1252'),
  /** `skip` for a printer whose network interface never answers status queries. */
  TILLSYNC_RECEIPT_STATUS: z.enum(['ask', 'skip']).default('ask'),
});
export type ReceiptPrinterEnv = z.output<typeof ReceiptPrinterEnvSchema>;

export interface PrinterTimeouts {
  /** To open the connection: on the shop's LAN a printer that is on answers in milliseconds. */
  connectMs: number;
  /** For the three status bytes: a printer answers DLE EOT at once, even when it is off line. */
  statusMs: number;
  /** To hand over the whole receipt (pictures of Arabic lines make it some tens of kilobytes). */
  sendMs: number;
  /** For the printer to close its side after the receipt; it has the receipt by then anyway. */
  closeMs: number;
}

export const DEFAULT_PRINTER_TIMEOUTS: PrinterTimeouts = { connectMs: 3_000, statusMs: 2_000, sendMs: 20_000, closeMs: 2_000 };

export interface ReceiptPrinter {
  host: string;
  port: number;
  paper: PaperSettings;
  /**
   * Ask the printer's status before printing. When asked, a printer that does not answer in time
   * counts as off line; a printer whose interface never answers needs `false`, and then only an
   * unreachable printer is noticed.
   */
  askStatus: boolean;
  timeouts?: Partial<PrinterTimeouts>;
}

/** The printer the environment names, or none. */
export function receiptPrinterFrom(env: ReceiptPrinterEnv): ReceiptPrinter | undefined {
  if (!env.TILLSYNC_RECEIPT_PRINTER) return undefined;
  return {
    ...env.TILLSYNC_RECEIPT_PRINTER,
    paper: { columns: env.TILLSYNC_RECEIPT_COLUMNS, codepage: env.TILLSYNC_RECEIPT_CODEPAGE },
    askStatus: env.TILLSYNC_RECEIPT_STATUS === 'ask',
  };
}

export const PRINTER_PROBLEMS = ['offline', 'no-paper', 'cover-open', 'error'] as const;
export type PrinterProblem = (typeof PRINTER_PROBLEMS)[number];

export type PrintOutcome =
  /** `paperLow`: the roll's near-end sensor is on; staff should change the roll soon. */
  | { printed: true; paperLow: boolean }
  /** `detail` is for the log, in English; the screen says what `problem` means for the customer. */
  | { printed: false; problem: PrinterProblem; detail: string };

/**
 * DLE EOT 1 (printer status), DLE EOT 2 (why it is off line) and DLE EOT 4 (roll paper sensor),
 * in one write: the printer answers each with one byte, in order, before anything else it has.
 */
const STATUS_QUERY = Uint8Array.of(0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4);

type StatusReading = { ready: true; paperLow: boolean } | { ready: false; problem: PrinterProblem; detail: string };

/** Reads the three status bytes by Epson's ESC/POS reference for DLE EOT. */
function readPrinterStatus([printer, offlineCause, paperRoll]: readonly number[]): StatusReading {
  // Every status byte has bits 1 and 4 on and bits 0 and 7 off; anything else is not an ESC/POS printer.
  if ([printer, offlineCause, paperRoll].some((b) => b === undefined || (b & 0x93) !== 0x12)) {
    return { ready: false, problem: 'error', detail: 'the device on the printer port answered, but not with ESC/POS status bytes' };
  }
  if (offlineCause! & 0x04) return { ready: false, problem: 'cover-open', detail: 'the cover is open' };
  // Roll paper end sensor (DLE EOT 4, bits 5 and 6), or printing stopped at the end of the paper.
  if ((paperRoll! & 0x60) === 0x60 || offlineCause! & 0x20) return { ready: false, problem: 'no-paper', detail: 'the paper has run out' };
  if (offlineCause! & 0x40) return { ready: false, problem: 'error', detail: 'the printer reports an error (cutter jammed or head too hot)' };
  if (printer! & 0x08) return { ready: false, problem: 'error', detail: 'the printer is off line (paper being fed by its button?)' };
  return { ready: true, paperLow: (paperRoll! & 0x0c) === 0x0c };
}

/** One connection to the printer: what it sent back, and whether it is gone. */
class PrinterConnection {
  readonly socket = new Socket();
  private answer: number[] = [];
  private gone: Error | null = null;
  private wake: () => void = () => {};

  constructor() {
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.answer.push(...chunk);
      this.wake();
    });
    this.socket.on('error', (error) => {
      this.gone ??= error;
      this.wake();
    });
    this.socket.on('close', () => {
      this.gone ??= new Error('the printer closed the connection');
      this.wake();
    });
  }

  /** Resolves true when `done()` holds, false when the printer went away or time ran out. */
  private until(done: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (done()) finish(true);
        else if (this.gone) finish(false);
      };
      const timer = setTimeout(() => finish(false), ms);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.wake = () => {};
        resolve(result);
      };
      this.wake = check;
      check();
    });
  }

  get failure(): string {
    return this.gone?.message ?? 'no answer in time';
  }

  connect(host: string, port: number, ms: number): Promise<boolean> {
    let connected = false;
    this.socket.connect({ host, port }, () => {
      connected = true;
      this.wake();
    });
    return this.until(() => connected, ms);
  }

  async ask(query: Uint8Array, answerBytes: number, ms: number): Promise<number[] | null> {
    this.answer = [];
    this.socket.write(query);
    return (await this.until(() => this.answer.length >= answerBytes, ms)) ? this.answer.slice(0, answerBytes) : null;
  }

  /** Sends the receipt and half-closes; true once the last byte has left this machine. */
  async send(bytes: Uint8Array, ms: number): Promise<boolean> {
    let flushed = false;
    this.socket.end(bytes, () => {
      flushed = true;
      this.wake();
    });
    return this.until(() => flushed, ms);
  }

  async closed(ms: number): Promise<void> {
    await this.until(() => this.socket.closed, ms);
    this.socket.destroy();
  }
}

/** Sends ready-made ESC/POS bytes to the printer, asking its status first when it answers status. */
export async function sendToPrinter(printer: ReceiptPrinter, bytes: Uint8Array): Promise<PrintOutcome> {
  const timeouts = { ...DEFAULT_PRINTER_TIMEOUTS, ...printer.timeouts };
  const where = `${printer.host}:${printer.port}`;
  const link = new PrinterConnection();
  try {
    if (!(await link.connect(printer.host, printer.port, timeouts.connectMs))) {
      return { printed: false, problem: 'offline', detail: `cannot reach the printer at ${where}: ${link.failure}` };
    }
    let paperLow = false;
    if (printer.askStatus) {
      const status = await link.ask(STATUS_QUERY, 3, timeouts.statusMs);
      if (!status) {
        return { printed: false, problem: 'offline', detail: `the printer at ${where} did not answer its status within ${timeouts.statusMs} ms (${link.failure})` };
      }
      const reading = readPrinterStatus(status);
      if (!reading.ready) return { printed: false, problem: reading.problem, detail: `${reading.detail} (printer at ${where})` };
      paperLow = reading.paperLow;
    }
    if (!(await link.send(bytes, timeouts.sendMs))) {
      return { printed: false, problem: 'offline', detail: `the printer at ${where} stopped taking the receipt: ${link.failure}` };
    }
    await link.closed(timeouts.closeMs);
    return { printed: true, paperLow };
  } catch (error) {
    return { printed: false, problem: 'error', detail: `printing at ${where} failed: ${(error as Error).message}` };
  } finally {
    link.socket.destroy();
  }
}

/** Prints an order's receipt. Call after the order is paid (or placed, for the counter); never throws. */
export async function printReceipt(printer: ReceiptPrinter, receipt: Receipt): Promise<PrintOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await layoutReceipt(receipt, printer.paper);
  } catch (error) {
    return { printed: false, problem: 'error', detail: `the receipt of order ${receipt.order.number} could not be laid out: ${(error as Error).message}` };
  }
  return sendToPrinter(printer, bytes);
}
