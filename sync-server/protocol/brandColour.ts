// A kiosk prints white text on its store's brand colour (buttons, the welcome screen), so head
// office may choose only colours white text can be read on: WCAG 2.x's contrast ratio of at least
// 4.5:1 for normal text. The admin app shows the same figure as the colour is picked.

/** WCAG's minimum for normal text (success criterion 1.4.3). */
export const MIN_TEXT_CONTRAST = 4.5;

/** WCAG 2.x relative luminance of an sRGB colour written `#rrggbb`. */
function luminanceOf(hex: string): number {
  const channel = (at: number) => {
    const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast ratio of white text on `#rrggbb`, from 1 (white) to 21 (black). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminanceOf(hex) + 0.05);
}

/** The ratio as people read it: 4.48 is "4.4:1", never rounded up past the minimum. */
export const ratioText = (ratio: number) => `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
