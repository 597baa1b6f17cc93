// Reads an ESC/POS byte stream the way a receipt printer does, into what would come out on paper:
// text lines (decoded from the code page in force), raster pictures, QR codes and cuts. Commands
// it does not know are skipped by their length where ESC/POS defines one, so a stray byte never
// stops it; real-time status queries (DLE EOT) are handed to the printer to answer at once.
import CodepageEncoder, { type Codepage } from '@point-of-sale/codepage-encoder';

/**
 * ESC t n: Epson's numbers for the code pages (ESC/POS reference, "Select character code table"),
 * written from the printer's side so a test catches an encoder that picks the wrong one.
 */
const EPSON_CODE_TABLES: Readonly<Record<number, Codepage>> = {
  0: 'cp437',
  2: 'cp850',
  3: 'cp860',
  4: 'cp863',
  5: 'cp865',
  16: 'windows1252',
  17: 'cp866',
  18: 'cp852',
  19: 'cp858',
  37: 'cp864',
  50: 'windows1256',
};

export type Align = 'left' | 'center' | 'right';

export type PrintedItem =
  /** One printed line as the printer set it (the encoder pads with spaces to centre or right-align). */
  | { kind: 'text'; text: string; align: Align; bold: boolean; size: { width: number; height: number } }
  /** One raster picture (GS v 0) or one 24-dot strip of a column picture (ESC *), in dots. */
  | { kind: 'image'; mode: 'raster' | 'column'; width: number; height: number }
  | { kind: 'qr'; data: string };

export interface PrintedReceipt {
  items: PrintedItem[];
  /** The text lines, trimmed, without the blank ones. */
  lines: string[];
  qrCodes: string[];
  images: Array<{ width: number; height: number }>;
  cut: 'full' | 'partial' | null;
  /** Code pages the text's non-ASCII characters were printed in. */
  codepages: Codepage[];
  /** Commands the printer did not know, skipped. */
  unknownCommands: number;
}

export interface PrinterHooks {
  /** DLE EOT n arrived: the printer answers it at once, whatever it is doing. */
  statusQuery(n: number): void;
  /** A receipt came off the printer: at a cut, or when the sender hung up after printing something. */
  receipt(receipt: PrintedReceipt): void;
}

/** Bigger than any receipt picture; a longer length in a command header is garbage, not a picture. */
const MAX_COMMAND_BYTES = 4 * 1024 * 1024;
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/** Arguments after ESC x, by x, for the commands of fixed length. */
const ESC_ARGUMENTS: Readonly<Record<string, number>> = {
  '@': 0, '!': 1, $: 2, '%': 1, '-': 1, '2': 0, '3': 1, '4': 1, '=': 1, '?': 1, E: 1, G: 1, J: 1, K: 1, L: 0, M: 1, R: 1, S: 0, T: 1, U: 1, V: 1,
  W: 8, '\\': 2, a: 1, c: 2, d: 1, e: 1, i: 0, m: 0, p: 3, r: 1, t: 1, u: 1, v: 0, '{': 1,
};
/** Arguments after GS x, by x, for the commands of fixed length. */
const GS_ARGUMENTS: Readonly<Record<string, number>> = {
  '!': 1, $: 2, '/': 1, ':': 0, B: 1, E: 1, H: 1, I: 1, L: 2, P: 2, T: 1, W: 2, '\\': 2, '^': 3, a: 1, b: 1, c: 0, f: 1, g: 3, h: 1, r: 1, w: 1,
};
/** Arguments after FS x, by x. */
const FS_ARGUMENTS: Readonly<Record<string, number>> = { '.': 0, '&': 0, '!': 1, '-': 1, C: 1, S: 2, W: 1, p: 2 };

const u16 = (bytes: Uint8Array, at: number) => bytes[at]! + bytes[at + 1]! * 256;

export class EscPosReader {
  private pending: Uint8Array = new Uint8Array(0);
  private codepage: Codepage = 'cp437';
  private glyphs: readonly number[] = CodepageEncoder.getEncoding('cp437').codepoints;
  private align: Align = 'left';
  private bold = false;
  private size = { width: 1, height: 1 };
  private line = { text: '', bold: false, width: 1, height: 1 };
  private qrData = '';
  private receipt = EscPosReader.blank();

  constructor(private readonly hooks: PrinterHooks) {}

  private static blank() {
    return { items: [] as PrintedItem[], codepages: new Set<Codepage>(), unknownCommands: 0 };
  }

  /** Takes the next bytes from the wire; a command cut in two waits for the rest. */
  feed(chunk: Uint8Array): void {
    const bytes = new Uint8Array(this.pending.length + chunk.length);
    bytes.set(this.pending);
    bytes.set(chunk, this.pending.length);
    let at = 0;
    while (at < bytes.length) {
      const used = this.step(bytes, at);
      if (used === 0) break;
      at += used;
    }
    this.pending = bytes.slice(at);
  }

  /** The sender hung up: what was printed without a cut still comes out. */
  end(): void {
    if (this.line.text !== '') this.endLine();
    this.finishReceipt(null);
    this.pending = new Uint8Array(0);
  }

  /** Reads one command or character at `at`; returns the bytes used, 0 when more are needed. */
  private step(bytes: Uint8Array, at: number): number {
    const b = bytes[at]!;
    const available = bytes.length - at;
    if (b === 0x0a) {
      this.endLine();
      return 1;
    }
    if (b === ESC || b === GS || b === FS || b === DLE) {
      if (available < 2) return 0;
      const x = String.fromCharCode(bytes[at + 1]!);
      if (b === DLE) return this.realTime(bytes, at, available);
      if (b === ESC) return this.esc(bytes, at, x, available);
      if (b === GS) return this.gs(bytes, at, x, available);
      if (x === '(') return available < 5 ? 0 : this.span(5 + u16(bytes, at + 3), available);
      const args = FS_ARGUMENTS[x];
      return args === undefined ? this.unknown(2) : this.span(2 + args, available);
    }
    if (b === 0x09) this.character(' ');
    else if (b >= 0x20) this.character(String.fromCodePoint(this.glyphs[b] ?? 0xfffd));
    // Other control bytes (CR, NUL, …) move nothing on a receipt printer with auto line feed off.
    return 1;
  }

  private realTime(bytes: Uint8Array, at: number, available: number): number {
    const kind = bytes[at + 1]!;
    if (kind === 0x04) {
      if (available < 3) return 0;
      const n = bytes[at + 2]!;
      // DLE EOT 7 and 8 (ink and peeler status) carry one more byte.
      const length = n === 7 || n === 8 ? 4 : 3;
      if (available < length) return 0;
      this.hooks.statusQuery(n);
      return length;
    }
    if (kind === 0x05) return available < 3 ? 0 : 3;
    if (kind === 0x14) {
      if (available < 3) return 0;
      const length = bytes[at + 2] === 8 ? 10 : 5;
      return available < length ? 0 : length;
    }
    // A lone DLE is an ordinary byte (▶ in PC437): print it as the printer would.
    this.character(String.fromCodePoint(this.glyphs[DLE] ?? 0xfffd));
    return 1;
  }

  private esc(bytes: Uint8Array, at: number, x: string, available: number): number {
    if (x === '*') {
      if (available < 5) return 0;
      const m = bytes[at + 2]!;
      const columns = u16(bytes, at + 3);
      const length = this.span(5 + columns * (m >= 32 ? 3 : 1), available);
      if (length > 2) this.image('column', columns, m >= 32 ? 24 : 8);
      return length;
    }
    if (x === 'D') {
      // Tab positions, up to a NUL.
      const end = bytes.indexOf(0, at + 2);
      return end === -1 ? (available > 34 ? this.unknown(2) : 0) : end - at + 1;
    }
    const args = ESC_ARGUMENTS[x];
    if (args === undefined) return this.unknown(2);
    const length = this.span(2 + args, available);
    if (length === 0) return 0;
    const n = bytes[at + 2];
    if (x === '@') {
      this.codepage = 'cp437';
      this.glyphs = CodepageEncoder.getEncoding('cp437').codepoints;
      this.align = 'left';
      this.bold = false;
      this.size = { width: 1, height: 1 };
    } else if (x === 't') {
      const codepage = EPSON_CODE_TABLES[n!];
      if (codepage) {
        this.codepage = codepage;
        this.glyphs = CodepageEncoder.getEncoding(codepage).codepoints;
      } else this.receipt.unknownCommands += 1;
    } else if (x === 'a') this.align = n === 1 || n === 49 ? 'center' : n === 2 || n === 50 ? 'right' : 'left';
    else if (x === 'E') this.bold = (n! & 1) === 1;
    else if (x === '!') {
      this.bold = (n! & 0x08) !== 0;
      this.size = { width: n! & 0x20 ? 2 : 1, height: n! & 0x10 ? 2 : 1 };
    }
    return length;
  }

  private gs(bytes: Uint8Array, at: number, x: string, available: number): number {
    if (x === '(') {
      if (available < 5) return 0;
      const length = this.span(5 + u16(bytes, at + 3), available);
      if (length > 2 && bytes[at + 2] === 0x6b) this.symbol(bytes.subarray(at + 5, at + length));
      return length;
    }
    if (x === 'v') {
      if (available < 8) return 0;
      const widthBytes = u16(bytes, at + 4);
      const height = u16(bytes, at + 6);
      const length = this.span(8 + widthBytes * height, available);
      if (length > 2) this.image('raster', widthBytes * 8, height);
      return length;
    }
    if (x === '8') {
      if (available < 7) return 0;
      return this.span(7 + bytes[at + 3]! + bytes[at + 4]! * 0x100 + bytes[at + 5]! * 0x10000 + bytes[at + 6]! * 0x1000000, available);
    }
    if (x === 'V') {
      if (available < 3) return 0;
      const m = bytes[at + 2]!;
      const length = m === 0 || m === 1 || m === 48 || m === 49 ? 3 : 4;
      if (available < length) return 0;
      if (this.line.text !== '') this.endLine();
      this.finishReceipt(m % 2 === 1 || m === 66 || m === 98 || m === 104 ? 'partial' : 'full');
      return length;
    }
    if (x === 'k') {
      // Barcodes: m 0–6 end with a NUL, m 65–79 give their length.
      if (available < 4) return 0;
      const m = bytes[at + 2]!;
      if (m <= 6) {
        const end = bytes.indexOf(0, at + 3);
        return end === -1 ? (available > 258 ? this.unknown(2) : 0) : end - at + 1;
      }
      return this.span(4 + bytes[at + 3]!, available);
    }
    if (x === '*') {
      if (available < 4) return 0;
      return this.span(4 + bytes[at + 2]! * bytes[at + 3]! * 8, available);
    }
    const args = GS_ARGUMENTS[x];
    if (args === undefined) return this.unknown(2);
    const length = this.span(2 + args, available);
    if (length > 0 && x === '!') {
      const n = bytes[at + 2]!;
      this.size = { width: (n >> 4) + 1, height: (n & 0x07) + 1 };
    }
    return length;
  }

  /** GS ( k: 2D codes. A QR code's data is stored (fn 80), then printed (fn 81). */
  private symbol(body: Uint8Array) {
    const [cn, fn] = body;
    if (cn !== 0x31) return;
    if (fn === 0x50) this.qrData = Buffer.from(body.subarray(3)).toString('latin1');
    else if (fn === 0x51) this.receipt.items.push({ kind: 'qr', data: this.qrData });
  }

  private image(mode: 'raster' | 'column', width: number, height: number) {
    if (this.line.text !== '') this.endLine();
    this.receipt.items.push({ kind: 'image', mode, width, height });
  }

  private character(char: string) {
    this.line.text += char;
    this.line.bold ||= this.bold;
    this.line.width = Math.max(this.line.width, this.size.width);
    this.line.height = Math.max(this.line.height, this.size.height);
    if (char.codePointAt(0)! >= 0x80) this.receipt.codepages.add(this.codepage);
  }

  private endLine() {
    const { text, bold, width, height } = this.line;
    this.receipt.items.push({ kind: 'text', text, align: this.align, bold, size: { width, height } });
    this.line = { text: '', bold: false, width: 1, height: 1 };
  }

  /**
   * The bytes a command of `total` bytes uses: all of them once they are here, 0 to wait for more.
   * A length past any real command is garbage: only its first two bytes are skipped.
   */
  private span(total: number, available: number): number {
    if (total > MAX_COMMAND_BYTES) return this.unknown(2);
    return available >= total ? total : 0;
  }

  private unknown(length: number): number {
    this.receipt.unknownCommands += 1;
    return length;
  }

  private finishReceipt(cut: PrintedReceipt['cut']) {
    const { items, codepages, unknownCommands } = this.receipt;
    this.receipt = EscPosReader.blank();
    const printed = items.some((i) => i.kind !== 'text' || i.text.trim() !== '');
    if (!printed && cut === null) return;
    this.hooks.receipt({
      items,
      lines: items.flatMap((i) => (i.kind === 'text' && i.text.trim() !== '' ? [i.text.trim()] : [])),
      qrCodes: items.flatMap((i) => (i.kind === 'qr' ? [i.data] : [])),
      images: items.flatMap((i) => (i.kind === 'image' ? [{ width: i.width, height: i.height }] : [])),
      cut,
      codepages: [...codepages],
      unknownCommands,
    });
  }
}

/** A receipt as a person would read it off the paper, for the simulator's folder and its log. */
export function receiptAsText(receipt: PrintedReceipt): string {
  const lines = receipt.items.map((item) => {
    if (item.kind === 'text') return item.size.width > 1 || item.size.height > 1 ? `${item.text}   [${item.size.width}×${item.size.height}]` : item.text;
    if (item.kind === 'qr') return `[QR code: ${item.data}]`;
    return `[${item.mode} picture ${item.width}×${item.height} dots]`;
  });
  lines.push(receipt.cut ? `--- ${receipt.cut} cut ---` : '--- (not cut) ---');
  return `${lines.join('\n')}\n`;
}
