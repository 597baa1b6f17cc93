import { currentLocale, isLocale, setLocale, type Locale } from '../../i18n';
import { useMenuStore } from '../../stores/menu';

/** The screen and the menu's own texts switch together; the menu falls back to its default where it has no translation. */
export function chooseLanguage(locale: Locale): void {
  setLocale(locale);
  useMenuStore().locale = locale;
}

/** The language a new customer is greeted in: the menu's own, when the screens speak it. */
export function greetingLanguage(): Locale {
  const menuLocale = useMenuStore().shown?.defaultLocale.split('-')[0] ?? 'en';
  return isLocale(menuLocale) ? menuLocale : 'en';
}

export { currentLocale };
