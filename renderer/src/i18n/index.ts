// A small i18n layer: one table per locale, with the writing direction kept beside the texts so a
// right-to-left locale flips the whole layout (<html dir>).
import { en } from './en';

type Messages = typeof en;
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

export const locales = { en: { messages: en, dir: 'ltr', intl: 'en-GB' } } as const;
export type Locale = keyof typeof locales;

let current: Locale = 'en';

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  document.documentElement.dir = locales[locale].dir;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], locales[current].messages);
  return typeof text === 'string' ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : key;
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat(locales[current].intl, { style: 'currency', currency }).format(cents / 100);
}

export function formatPercent(basisPoints: number): string {
  return new Intl.NumberFormat(locales[current].intl, { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}
