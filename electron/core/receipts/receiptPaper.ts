// A receipt's parts put on paper as ESC/POS bytes with @point-of-sale/receipt-printer-encoder.
// Text goes out in the printer's own font and code page whenever that code page has its letters:
// crisp, fast, and the same on every printer. Text it cannot print (Arabic, any script the single
// code page lacks) becomes a raster strip drawn by textRaster.ts. Amounts and the QR code stay
// native, so they print sharp and the printer's own QR generator makes the code.
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { z } from 'zod';
import { textStrip, type TextStripStyle } from './textRaster';

/**
 * The code pages a receipt may use, by the name the encoder knows them. Windows-1252 has €, œ
 * and every French accent; PC858 is PC850 with € for printers without it; PC437 is the factory
 * default of every ESC/POS printer (no €: amounts then print "EUR").
 */
export const RECEIPT_CODEPAGES = ['windows1252', 'cp858', 'cp437'] as const;
export const ReceiptCodepageSchema = z.enum(RECEIPT_CODEPAGES);
export type ReceiptCodepage = z.output<typeof ReceiptCodepageSchema>;

/** Characters per line in the printer's Font A: 48 on 80 mm paper at 203 dpi, 42 at 180 dpi. */
export const PaperColumnsSchema = z.union([z.literal(42), z.literal(48)]);

export const PaperSettingsSchema = z.strictObject({ columns: PaperColumnsSchema, codepage: ReceiptCodepageSchema });
export type PaperSettings = z.output<typeof PaperSettingsSchema>;

export type Align = 'left' | 'center' | 'right';

/** What a receipt is made of, in the order it prints. */
export type ReceiptPart =
  | { kind: 'text'; text: string; align: Align; style?: 'bold' | 'large' | 'huge' }
  /** A label and an amount against the right edge; `indent` for what belongs to the line above. */
  | { kind: 'row'; label: string; amount: string; bold?: boolean; indent?: boolean }
  | { kind: 'rule' }
  | { kind: 'space' }
  | { kind: 'qr'; data: string };

/** Lines feed past the cutter before it cuts: the cutter sits below the print head. */
const FEED_BEFORE_CUT = 4;
const AMOUNT_COLUMNS = 12;
const INDENT = '    ';
/** Typography that code pages lack, and what prints instead. */
const FALLBACKS: Record<string, string> = { '•': '*', '—': '-', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"', '…': '...', '×': 'x', œ: 'oe', Œ: 'OE', '€': 'EUR' };
/** Intl puts narrow and no-break spaces in amounts, and direction marks around them: paper needs neither. */
const SPACES = /[\u00a0\u2007\u202f]/g;
const DIRECTION_MARKS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The characters a code page prints, from the printable half of its table (0x20–0xFF). */
function printableIn(codepage: ReceiptCodepage): Set<number> {
  const { codepoints } = CodepageEncoder.getEncoding(codepage);
  return new Set(codepoints.slice(0x20).filter((c) => c !== 0x7f && c !== 0xfffd));
}

/** `text` as the printer can print it natively, or null when it needs a raster strip. */
function fitToCodepage(text: string, printable: ReadonlySet<number>): string | null {
  let fitted = '';
  for (const char of text.replace(SPACES, ' ').replace(DIRECTION_MARKS, '')) {
    const candidates = [char, FALLBACKS[char], char.normalize('NFD').replace(/\p{M}/gu, '')];
    const printed = candidates.find((c) => c !== undefined && c !== '' && [...c].every((k) => printable.has(k.codePointAt(0)!)));
    if (printed === undefined) return null;
    fitted += printed;
  }
  return fitted;
}

/**
 * Encodes the parts for an ESC/POS printer: initialise, code page, the parts, feed and cut.
 * `direction` is the receipt's language's: drawn lines of a right-to-left receipt read from the right.
 */
export async function encodeReceipt(parts: readonly ReceiptPart[], paper: PaperSettings, direction: 'ltr' | 'rtl'): Promise<Uint8Array> {
  const printable = printableIn(paper.codepage);
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: paper.columns,
    // GS v 0: one command per picture, understood by every current ESC/POS printer.
    imageMode: 'raster',
    feedBeforeCut: FEED_BEFORE_CUT,
    // A picture or QR code moves the paper on by itself: a line feed after it would leave a gap
    // under every drawn line of an Arabic receipt.
    feedAfterBlock: false,
    // Epson's numbering of the code pages (ESC t n), which other ESC/POS printers follow for these.
    codepageMapping: 'epson',
  });
  encoder.initialize().codepage(paper.codepage);
  const strip = async (text: string, style: Omit<TextStripStyle, 'direction'>) => {
    const { data, info } = await textStrip(text, encoder.printableWidth, { ...style, direction });
    encoder.image({ data, info }, { width: info.width, height: info.height, algorithm: 'threshold' });
  };
  const start: Align = direction === 'rtl' ? 'right' : 'left';

  for (const part of parts) {
    switch (part.kind) {
      case 'text': {
        const native = fitToCodepage(part.text, printable);
        if (native === null) {
          await strip(part.text, { align: part.align, size: part.style === 'large' || part.style === 'huge' ? 'large' : 'normal' });
          break;
        }
        const size = part.style === 'huge' ? 3 : part.style === 'large' ? 2 : 1;
        encoder.align(part.align).bold(part.style !== undefined).size(size, size).line(native).size(1, 1).bold(false).align('left');
        break;
      }
      case 'row': {
        const label = fitToCodepage(`${part.indent ? INDENT : ''}${part.label}`, printable);
        const amount = fitToCodepage(part.amount, printable);
        encoder.bold(part.bold ?? false);
        if (label !== null && amount !== null) {
          const amountColumns = Math.max(AMOUNT_COLUMNS, amount.length);
          encoder.table(
            [
              { width: paper.columns - amountColumns - 1, marginRight: 1 },
              { width: amountColumns, align: 'right' },
            ],
            [[label, amount]],
          );
        } else {
          // A label the printer cannot print is drawn, from where the receipt's language starts its
          // lines (Arabic: the right edge), and its amount is printed under it on the same side.
          if (label === null) await strip(part.label, { align: start, size: 'normal' });
          else encoder.align(start).line(label).align('left');
          if (amount === null) await strip(part.amount, { align: start, size: 'normal' });
          else if (amount !== '') encoder.align(start).line(amount).align('left');
        }
        encoder.bold(false);
        break;
      }
      case 'rule':
        encoder.line('-'.repeat(paper.columns));
        break;
      case 'space':
        encoder.newline();
        break;
      case 'qr':
        // Model 2, 6-dot modules: a signed receipt link (about 100 characters) prints some 3 cm wide.
        encoder.align('center').qrcode(part.data, { model: 2, size: 6, errorlevel: 'm' }).align('left');
        break;
    }
  }
  return encoder.cut('full').encode();
}
