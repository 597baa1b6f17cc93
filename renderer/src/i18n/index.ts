// The terminal's languages, through vue-i18n: English, Arabic (the whole layout flips right to
// left) and French. Texts live in ./sections, each in all three languages side by side; prices and
// percentages go through Intl in the store's currency and the customer's language.
import { createI18n } from 'vue-i18n';
import { formatMoney as formatAmount, numberFormat } from '#protocol/money';
import { access } from './sections/access';
import { browse } from './sections/browse';
import { errors } from './sections/errors';
import { kiosk } from './sections/kiosk';
import { kitchen } from './sections/kitchen';
import { terminal } from './sections/terminal';
import { visit } from './sections/visit';
import type { Translated } from './translated';

const SECTIONS = [terminal, kiosk, visit, browse, access, kitchen, errors] as const;

/** Every screen language: its name in itself (as a language picker shows it), direction and Intl locale. */
export const LOCALES = {
  en: { name: 'English', dir: 'ltr', intl: 'en-GB' },
  // Latin digits, as the order numbers on the board and the receipt are written.
  ar: { name: 'العربية', dir: 'rtl', intl: 'ar-u-nu-latn' },
  fr: { name: 'Français', dir: 'ltr', intl: 'fr-FR' },
} as const;
export type Locale = keyof typeof LOCALES;
export const isLocale = (value: string): value is Locale => Object.hasOwn(LOCALES, value);

type Merged<S extends readonly Translated<unknown>[]> = S extends readonly [infer H, ...infer R extends readonly Translated<unknown>[]]
  ? (H extends Translated<infer T> ? T : never) & Merged<R>
  : unknown;
type Messages = Merged<typeof SECTIONS>;

const messagesIn = (locale: Locale) => Object.assign({}, ...SECTIONS.map((section) => section[locale])) as Messages;

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en: messagesIn('en'), ar: messagesIn('ar'), fr: messagesIn('fr') },
});

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

/** The screen's language now. */
export const currentLocale = (): Locale => i18n.global.locale.value as Locale;

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  document.documentElement.dir = LOCALES[locale].dir;
}

/** A text in the screen's language; re-read when the language changes. */
export const t = (key: MessageKey, params: Record<string, string | number> = {}): string => i18n.global.t(key, params);

/** What to tell the reader of a refusal with this code. */
export const sayError = (code: string): string => (i18n.global.te(`errors.${code}`, 'en') ? i18n.global.t(`errors.${code}`) : t('errors.fallback'));

const intl = () => LOCALES[currentLocale()].intl;

/** An amount in minor units in the store's currency, as the screen's language writes it. */
export const formatMoney = (minor: number, currency: string): string => formatAmount(minor, currency, intl());

export function formatPercent(basisPoints: number): string {
  return numberFormat(intl(), { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

export function formatNumber(value: number): string {
  return numberFormat(intl()).format(value);
}
