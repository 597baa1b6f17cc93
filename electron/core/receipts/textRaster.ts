// Text a printer's code pages cannot print, drawn as a picture the width of the paper. Thermal
// printers only have single-byte code pages: Arabic there comes unjoined (isolated letter forms)
// and left to right, which no reader accepts. Pango (inside sharp's libvips) shapes Arabic with
// HarfBuzz and orders mixed right-to-left and left-to-right text with FriBidi, so the picture
// reads as it should on every printer that prints raster images (GS v 0, all current ESC/POS
// printers). The font ships with the app, so every kiosk prints the same letters.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
/**
 * Noto Naskh Arabic Bold: bold strokes survive a thermal print head. Packaged, libvips reads the
 * file from outside app.asar (electron-builder's asarUnpack), which it cannot open.
 */
const FONT_FILE = join(dirname(require.resolve('@embedpdf/fonts-arabic')), '..', 'fonts', 'NotoNaskhArabic-Bold.ttf').replace(
  /app\.asar([\\/])/,
  'app.asar.unpacked$1',
);
const FONT_FAMILY = 'Noto Naskh Arabic Bold';
/** Pixel sizes at the printer's resolution, so a line stands as tall as the printer's own Font A. */
const FONT_PX = { normal: 28, large: 38 } as const;
/** White dots above and below, so strips printed one after the other do not touch. */
const GAP_DOTS = 4;

export interface TextStripStyle {
  align: 'left' | 'center' | 'right';
  /** The paragraph's direction: "Visa · المرجع T-1" on an Arabic receipt still reads from the right. */
  direction: 'ltr' | 'rtl';
  size: keyof typeof FONT_PX;
}

/** RGBA pixels, as the receipt encoder takes them from sharp. */
export interface TextStrip {
  data: Buffer;
  info: { width: number; height: number; channels: 4 };
}

const escapeMarkup = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Draws `text` black on white, `widthDots` wide; a text wider than the paper wraps onto more lines. */
export async function textStrip(text: string, widthDots: number, style: TextStripStyle): Promise<TextStrip> {
  // Pango draws the ink as white on black, as wide as the text; it is turned over and placed.
  const { data: ink, info: inked } = await sharp({
    text: {
      // Pango takes a paragraph's direction from its first strong letter; a right-to-left mark
      // (U+200F) in front makes it right to left whatever comes first.
      text: (style.direction === 'rtl' ? '\u200f' : '') + escapeMarkup(text),
      font: `${FONT_FAMILY} ${FONT_PX[style.size]}px`,
      fontfile: FONT_FILE,
      width: widthDots,
      align: style.align === 'center' ? 'centre' : style.align,
      wrap: 'word-char',
      dpi: 72,
    },
  })
    .negate()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const spare = Math.max(0, widthDots - inked.width);
  const left = style.align === 'right' ? spare : style.align === 'center' ? Math.floor(spare / 2) : 0;
  const { data, info } = await sharp(ink, { raw: { width: inked.width, height: inked.height, channels: inked.channels } })
    .extend({ left, right: spare - left, top: GAP_DOTS, bottom: GAP_DOTS, background: '#ffffff' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info: { width: info.width, height: info.height, channels: 4 } };
}
