// The board's words in each of its languages at once: it greets customers in every language of the
// store's menu that the screens speak, side by side, rather than in the one language of a screen.
import { isLocale, LOCALES, type Locale } from '../../i18n';
import { translated } from '../../i18n/translated';

export const boardTexts = translated({
  en: { preparing: 'Preparing', ready: 'Ready for pickup', more: 'more', moreNumbers: '{count} more numbers', chimeOff: 'Tap to turn the chime on' },
  ar: { preparing: 'قيد التحضير', ready: 'جاهز للاستلام', more: 'أخرى', moreNumbers: '{count} أرقام أخرى', chimeOff: 'المس لتشغيل الجرس' },
  fr: { preparing: 'En préparation', ready: 'Prêt à retirer', more: 'de plus', moreNumbers: '{count} numéros de plus', chimeOff: 'Touchez pour activer le carillon' },
});

/** A language of the board, with its direction. */
export interface BoardLanguage {
  locale: Locale;
  dir: 'ltr' | 'rtl';
}

/** The store's languages the screens speak, in the menu's order; English when they share none. */
export function boardLanguages(storeLocales: readonly string[]): BoardLanguage[] {
  const spoken = [...new Set(storeLocales.map((l) => l.split('-')[0]!))].filter(isLocale);
  return (spoken.length > 0 ? spoken : (['en'] as Locale[])).map((locale) => ({ locale, dir: LOCALES[locale].dir }));
}
