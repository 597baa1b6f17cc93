// A menu's problems named the way its editors know the menu: "Big Mac · price", not items[3].priceCents.
import type { PathLabel } from '../protocol/parse';

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
};

/** What the editor calls the part of a document a path leads into: its name, else its id, else its place. */
function nameOf(document: unknown, list: string, index: number, kind: string, within?: { list: string; index: number }): string {
  const member = (value: unknown, key: PropertyKey): unknown => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined);
  const parent = within ? member(member(member(document, within.list), within.index), list) : member(document, list);
  const entry = member(parent, index);
  const name = member(entry, 'name');
  const id = member(entry, 'id');
  if (typeof name === 'string' && name.trim()) return name.trim();
  if (typeof id === 'string' && id.trim()) return id.trim();
  return `${kind} ${index + 1}`;
}

const fieldOf = (rest: readonly PropertyKey[]) =>
  rest.map((key) => (typeof key === 'number' ? String(key + 1) : (FIELDS[String(key)] ?? String(key)))).join(' ');

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
    } else return fieldOf(path);
    return rest.length > 0 ? `${subject} · ${fieldOf(rest)}` : subject;
  };
}
