// The letters of the on-screen keyboard, row by row, as each language's own keyboard has them:
// QWERTY for English, AZERTY and its accented letters for French, the standard Arabic layout for
// Arabic. Search ignores accents and Arabic letter forms, so these are enough to find any dish.
import type { Locale } from '../../../i18n';

export const KEYBOARD_ROWS: Readonly<Record<Locale, readonly (readonly string[])[]>> = {
  en: [[...'qwertyuiop'], [...'asdfghjkl'], [...'zxcvbnm']],
  fr: [[...'azertyuiop'], [...'qsdfghjklm'], [...'wxcvbn'], [...'éèêàâçùûôîëœ']],
  ar: [[...'ضصثقفغعهخحجد'], [...'شسيبلاتنمكط'], [...'ئءؤرىةوزظذأإ']],
};
