// A menu's problems named the way its editors know the menu: "Big Mac · price", not items[3].priceCents.
// The admin app's editor and the API list them with the same function, so both say the same.
import type { Problem } from '../protocol/errors';
import { menuDocumentIssues } from '../protocol/menu';
import { MenuDocumentV1Schema } from '../protocol/menuV1';
import { labelProblems, type PathLabel } from '../protocol/parse';

const FIELDS: Record<string, string> = {
  id: 'id',
  name: 'name',
  description: 'description',
  priceCents: 'price',
  image: 'picture',
  categoryId: 'category',
  modifierGroupIds: 'modifier groups',
  priceDeltaCents: 'price change',
  default: 'chosen by default',
  minChoices: 'fewest choices',
  maxChoices: 'most choices',
  options: 'options',
  currency: 'currency',
  categories: 'categories',
  items: 'items',
  modifierGroups: 'modifier groups',
  storePrices: 'store price',
  allergens: 'allergens',
  dietTags: 'diet',
  energy: 'energy',
  kj: 'kJ',
  nutrition: 'nutrition',
  upsellItemIds: 'offered with it',
  stationId: 'station',
  daypartIds: 'dayparts',
  parentId: 'parent category',
  prepSeconds: 'preparation time',
  defaultLocale: 'default language',
  locales: 'languages',
  stations: 'stations',
  dayparts: 'dayparts',
};

/** What the editor calls the part of a document a path leads into: its name, else its id, else its place. */
function nameOf(document: unknown, list: string, index: number, kind: string, within?: { list: string; index: number }): string {
  const member = (value: unknown, key: PropertyKey): unknown => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined);
  const parent = within ? member(member(member(document, within.list), within.index), list) : member(document, list);
  const entry = member(parent, index);
  // A format 2 name is in several locales: the default one, else any.
  const names = member(entry, 'name');
  const defaultLocale = member(document, 'defaultLocale');
  const name = typeof names === 'object' && names !== null ? (member(names, typeof defaultLocale === 'string' ? defaultLocale : '') ?? Object.values(names)[0]) : names;
  const id = member(entry, 'id');
  if (typeof name === 'string' && name.trim()) return name.trim();
  if (typeof id === 'string' && id.trim()) return id.trim();
  return `${kind} ${index + 1}`;
}

/** Fields whose value is a text per locale: the key after them is a locale, written "name (ar)". */
const TEXTS = new Set(['name', 'description']);

const fieldOf = (rest: readonly PropertyKey[]) =>
  rest
    .map((key, i) => {
      if (typeof key === 'number') return String(key + 1);
      if (i > 0 && TEXTS.has(String(rest[i - 1]))) return `(${String(key)})`;
      return FIELDS[String(key)] ?? String(key);
    })
    .join(' ');

/** Labels the paths of problems in `document`, the menu as it was sent. */
export function menuPathLabel(document: unknown): PathLabel {
  return (path) => {
    const [top, index, ...rest] = path;
    if (typeof index !== 'number') return fieldOf(path);
    let subject: string;
    if (top === 'items') subject = nameOf(document, 'items', index, 'item');
    else if (top === 'categories') subject = nameOf(document, 'categories', index, 'category');
    else if (top === 'modifierGroups') {
      subject = nameOf(document, 'modifierGroups', index, 'modifier group');
      if (rest[0] === 'options' && typeof rest[1] === 'number') {
        subject += ` › ${nameOf(document, 'options', rest[1], 'option', { list: 'modifierGroups', index })}`;
        rest.splice(0, 2);
      }
    } else if (top === 'stations') subject = nameOf(document, 'stations', index, 'station');
    else if (top === 'dayparts') subject = nameOf(document, 'dayparts', index, 'daypart');
    else return fieldOf(path);
    return rest.length > 0 ? `${subject} · ${fieldOf(rest)}` : subject;
  };
}

/**
 * Every problem of a menu document at once, each named for its editor ("Big Mac · price: must not
 * be negative"); none when it can be published. A format 1 document is checked as format 1.
 */
export function menuProblems(document: unknown): Problem[] {
  const format = (document as { format?: unknown } | null)?.format;
  const issues = format === 1 || format === undefined ? (MenuDocumentV1Schema.safeParse(document).error?.issues ?? []) : menuDocumentIssues(document);
  return issues.length === 0 ? [] : (labelProblems(issues, menuPathLabel(document)).problems ?? []);
}
