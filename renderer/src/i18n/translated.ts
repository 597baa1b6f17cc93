// Every text of the terminal's screens lives in a section file with its English, Arabic and French
// side by side, so a translator sees one text in all three, and a text missing in one language is a
// compile error rather than an English word on an Arabic screen.

/** The same keys as `T`, each a text of its own. */
export type Same<T> = { readonly [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

export interface Translated<T> {
  en: T;
  ar: Same<T>;
  fr: Same<T>;
}

export const translated = <const T>(texts: Translated<T>): Translated<T> => texts;
