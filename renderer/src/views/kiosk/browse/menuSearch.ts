// Finding a dish by what the customer types on the kiosk: "creme" finds "Crème brûlée", "قهوه"
// finds "القَهْوَة". Every name and description is folded once per menu version and language, so a
// keystroke is a scan of short plain strings, well within a frame even for a 5,000-item menu.
// Parts of words match (not only their starts): Arabic joins its article and some prepositions to
// the word ("القهوة", "بالحليب"), and a customer types "burger" for "Cheeseburger".
import { textIn, type Text } from '#protocol/menu';

/** Letters that are written in more than one way and that customers type either way. */
const SAME_LETTER: Readonly<Record<string, string>> = {
  ٱ: 'ا', // alef wasla; أ إ آ lose their hamza and madda as marks below
  ة: 'ه', // taa marbuta, often typed as haa
  ى: 'ي', // alef maqsura, often typed as yaa
  ی: 'ي', // the Persian yaa some keyboards give
  ک: 'ك',
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
};
const SAME_LETTER_PATTERN = new RegExp(`[${Object.keys(SAME_LETTER).join('')}]`, 'g');

/**
 * A text as search compares it: without case, accents, Arabic vowel marks (tashkeel) and tatweel,
 * with alef forms, taa marbuta and alef maqsura made one letter, and every run of punctuation or
 * spaces a single space.
 */
export function foldForSearch(text: string): string {
  return (
    text
      // Compatibility decomposition splits "é" into "e" and its accent, "أ" into "ا" and its hamza,
      // and Arabic presentation forms into plain letters; every mark then goes.
      .normalize('NFKD')
      .replace(/[\p{M}\u0640]/gu, '')
      .toLowerCase()
      .replace(SAME_LETTER_PATTERN, (letter) => SAME_LETTER[letter]!)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** What search reads of an item: its name and description in each of the menu's languages. */
export interface SearchableItem {
  id: string;
  name: Text;
  description: Text;
}
export interface SearchableMenu {
  versionId: string;
  defaultLocale: string;
  items: readonly SearchableItem[];
}

/** A menu version's items folded in one language, ready to answer as the customer types. */
export interface MenuSearchIndex {
  versionId: string;
  locale: string;
  /** The ids of the items that have every word of `query`, best first; none for an empty query. */
  find(query: string): string[];
}

// Lower is better: a name that starts with the words, a word of the name that does, a name that
// has them somewhere, and last a description that has them.
const NAME_STARTS = 0;
const NAME_WORD_STARTS = 1;
const NAME_HAS = 2;
const DESCRIPTION_HAS = 3;

/** Folds every item's name and description as the screen shows them in `locale`. */
export function indexMenuForSearch(menu: SearchableMenu, locale: string): MenuSearchIndex {
  const entries = menu.items.map((item) => ({
    id: item.id,
    // A leading space lets " word" find the start of any word, the first one included.
    name: ` ${foldForSearch(textIn(item.name, locale, menu.defaultLocale))}`,
    description: foldForSearch(textIn(item.description, locale, menu.defaultLocale)),
  }));

  function rank(entry: (typeof entries)[number], words: string[]): number | null {
    if (words.every((word) => entry.name.includes(word))) {
      if (entry.name.startsWith(` ${words[0]}`)) return NAME_STARTS;
      return words.some((word) => entry.name.includes(` ${word}`)) ? NAME_WORD_STARTS : NAME_HAS;
    }
    return words.every((word) => entry.name.includes(word) || entry.description.includes(word)) ? DESCRIPTION_HAS : null;
  }

  return {
    versionId: menu.versionId,
    locale,
    find(query) {
      const words = foldForSearch(query).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      const hits: { id: string; rank: number; at: number }[] = [];
      entries.forEach((entry, at) => {
        const found = rank(entry, words);
        if (found !== null) hits.push({ id: entry.id, rank: found, at });
      });
      // Equal matches keep the menu's own order, as head office arranged it.
      return hits.sort((a, b) => a.rank - b.rank || a.at - b.at).map((hit) => hit.id);
    },
  };
}
