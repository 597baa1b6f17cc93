// A network receipt printer, simulated: a TCP server that takes raw ESC/POS as an Epson TM on port
// 9100 does, answers DLE EOT status queries from its state (ready, paper low, paper out, cover
// open, error), can be off line (it drops every connection), and keeps what it printed as
// structured receipts (receiptPrinterParser.ts) for tests, and as text files for a person.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { EscPosReader, receiptAsText, type PrintedReceipt } from './receiptPrinterParser';

export const PRINTER_STATES = ['online', 'paper-low', 'paper-out', 'cover-open', 'error', 'offline'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export interface ReceiptPrinterOptions {
  state?: PrinterState;
  /** false: a printer whose network interface never answers status queries (some cheap ones). */
  answersStatus?: boolean;
  /** Each receipt is also written there as text, for a person to read. */
  receiptsDir?: string;
  /** Receipts kept in memory, newest last. */
  keep?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The byte a printer answers DLE EOT n with, by Epson's ESC/POS reference: bits 1 and 4 always on;
 * n = 1 bit 3 off line; n = 2 bit 2 cover open, bit 5 stopped at paper end, bit 6 error;
 * n = 3 bit 3 autocutter error; n = 4 bits 2–3 paper near its end, bits 5–6 paper out.
 */
function statusByte(state: PrinterState, n: number): number | null {
  const stopped = state === 'paper-out' || state === 'cover-open' || state === 'error';
  switch (n) {
    case 1:
      return 0x12 | (stopped ? 0x08 : 0);
    case 2:
      return 0x12 | (state === 'cover-open' ? 0x04 : 0) | (state === 'paper-out' ? 0x20 : 0) | (state === 'error' ? 0x40 : 0);
    case 3:
      return 0x12 | (state === 'error' ? 0x08 : 0);
    case 4:
      return 0x12 | (state === 'paper-low' || state === 'paper-out' ? 0x0c : 0) | (state === 'paper-out' ? 0x60 : 0);
    default:
      return null;
  }
}

export class ReceiptPrinterSimulator {
  state: PrinterState;
  answersStatus: boolean;
  /** What came off the printer, oldest first (at most `keep`). */
  readonly receipts: PrintedReceipt[] = [];
  /** Receipts printed since it started (`receipts` keeps only the last ones). */
  printed = 0;
  /** DLE EOT queries answered. */
  statusQueries = 0;
  /** Receipts sent while the printer could not print (paper out, cover open, error): not printed. */
  notPrinted = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<() => void>();
  private readonly keep: number;
  private readonly receiptsDir: string | undefined;
  private readonly log: NonNullable<ReceiptPrinterOptions['log']>;

  constructor(options: ReceiptPrinterOptions = {}) {
    this.state = options.state ?? 'online';
    this.answersStatus = options.answersStatus ?? true;
    this.keep = options.keep ?? 100;
    this.receiptsDir = options.receiptsDir;
    this.log = options.log ?? (() => {});
  }

  /** Starts listening; resolves with the port (0: any free port). */
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    if (this.receiptsDir) await mkdir(this.receiptsDir, { recursive: true });
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return this.port;
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('The receipt printer simulator is not listening.');
    return address.port;
  }

  /** Resolves once `count` receipts in all have come off the printer since it started. */
  waitForReceipts(count: number, timeoutMs = 10_000): Promise<PrintedReceipt[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.printed < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve([...this.receipts]);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`The receipt printer printed ${this.printed} receipts, not ${count}, within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket) {
    if (this.state === 'offline') {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    const reader = new EscPosReader({
      statusQuery: (n) => {
        const answer = statusByte(this.state, n);
        if (!this.answersStatus || answer === null) return;
        this.statusQueries += 1;
        socket.write(Uint8Array.of(answer));
      },
      receipt: (receipt) => this.takeOff(receipt),
    });
    socket.on('data', (chunk: Buffer) => {
      // Going off line drops the connections it has, as a printer switched off does.
      if (this.state === 'offline') socket.destroy();
      else reader.feed(chunk);
    });
    socket.on('end', () => {
      reader.end();
      socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  private takeOff(receipt: PrintedReceipt) {
    if (this.state !== 'online' && this.state !== 'paper-low') {
      // A stopped printer keeps the job in its buffer until staff reset it; the simulator drops it.
      this.notPrinted += 1;
      this.log('receipt not printed', { state: this.state });
      return;
    }
    this.printed += 1;
    this.receipts.push(receipt);
    if (this.receipts.length > this.keep) this.receipts.shift();
    this.log('receipt printed', { number: this.printed, lines: receipt.lines.length, images: receipt.images.length, qrCodes: receipt.qrCodes });
    if (this.receiptsDir) {
      const file = join(this.receiptsDir, `receipt-${new Date().toISOString().replace(/[:.]/g, '-')}-${this.printed}.txt`);
      writeFile(file, receiptAsText(receipt)).catch((error: Error) => this.log('could not write the receipt', { file, error: error.message }));
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}
