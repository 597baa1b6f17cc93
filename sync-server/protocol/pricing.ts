// The one pricing rule, run by the kiosk before an order is placed and again by the server before
// it is accepted: both derive every price from the same immutable menu version, so they agree to
// the cent. Integer cents only.
import { AppError } from './errors';
import { itemPrice, textIn, type MenuIndex, type Text } from './menu';
import type { RecordLine } from './orders';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;

export interface LineDraft {
  itemId: string;
  quantity: number;
  optionIds: string[];
}

export interface TaxPolicy {
  /** Basis points: 900 = 9 %. */
  taxRateBp: number;
  /** Menu prices already include tax (EU style) or tax is added at the end (US style). */
  pricesIncludeTax: boolean;
}

export interface PricedModifier {
  groupId: string;
  groupName: string;
  optionId: string;
  name: string;
  priceDeltaCents: number;
}

export interface PricedLine {
  lineNo: number;
  itemId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  modifiers: PricedModifier[];
}

export interface PricedOrder {
  currency: string;
  lines: PricedLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

/** n / d rounded half up, for non-negative integers. */
const divideRounded = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

export function taxOf(subtotalCents: number, { taxRateBp, pricesIncludeTax }: TaxPolicy): number {
  return pricesIncludeTax
    ? subtotalCents - divideRounded(subtotalCents * 10_000, 10_000 + taxRateBp)
    : divideRounded(subtotalCents * taxRateBp, 10_000);
}

/**
 * One of an item with these choices, in the index's store: its price plus each option's change.
 * The kiosk shows it while the customer chooses, and every priced line is this sum; whether the
 * choices are allowed is priceLine's question, so an option the menu does not have adds nothing.
 */
export function unitPriceOf(menu: MenuIndex, itemId: string, optionIds: readonly string[]): number {
  const item = menu.items.get(itemId);
  if (!item) throw new AppError('UNKNOWN_ITEM', `"${itemId}" is not on this menu.`);
  return optionIds.reduce((sum, optionId) => sum + (menu.options.get(optionId)?.option.priceDeltaCents ?? 0), itemPrice(menu, item));
}

function priceLine(menu: MenuIndex, draft: LineDraft, index: number): PricedLine {
  // An order carries the names in the menu's default locale, whatever language the customer read.
  const say = (name: Text) => textIn(name, menu.defaultLocale, menu.defaultLocale);
  const at = `lines[${index}]`;
  const item = menu.items.get(draft.itemId);
  if (!item) throw new AppError('UNKNOWN_ITEM', `"${draft.itemId}" is not on this menu.`, `${at}.itemId`);
  if (!Number.isInteger(draft.quantity) || draft.quantity < 1 || draft.quantity > MAX_QUANTITY) {
    throw new AppError('INVALID_QUANTITY', `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`, `${at}.quantity`);
  }

  const chosen = draft.optionIds.map((optionId, k) => {
    const entry = menu.options.get(optionId);
    if (!entry || !item.modifierGroupIds.includes(entry.group.id)) {
      throw new AppError('UNKNOWN_OPTION', `"${optionId}" is not a choice for ${say(item.name)}.`, `${at}.optionIds[${k}]`);
    }
    if (draft.optionIds.indexOf(optionId) !== k) {
      throw new AppError('MODIFIER_COUNT', `"${say(entry.option.name)}" is chosen twice.`, `${at}.optionIds[${k}]`);
    }
    return entry;
  });
  for (const groupId of item.modifierGroupIds) {
    const group = menu.groups.get(groupId)!;
    const count = chosen.filter((c) => c.group.id === groupId).length;
    if (count < group.minChoices || count > group.maxChoices) {
      const range = group.minChoices === group.maxChoices ? `${group.minChoices}` : `${group.minChoices} to ${group.maxChoices}`;
      throw new AppError('MODIFIER_COUNT', `${say(item.name)}: choose ${range} for "${say(group.name)}".`, `${at}.optionIds`);
    }
  }

  // Modifiers are listed in menu order, whatever order they were tapped in.
  const order = (c: (typeof chosen)[number]) => item.modifierGroupIds.indexOf(c.group.id) * 1000 + c.position;
  const modifiers = chosen
    .sort((a, b) => order(a) - order(b))
    .map(({ option, group }) => ({
      groupId: group.id,
      groupName: say(group.name),
      optionId: option.id,
      name: say(option.name),
      priceDeltaCents: option.priceDeltaCents,
    }));
  const unitPriceCents = unitPriceOf(menu, item.id, draft.optionIds);
  return {
    lineNo: index + 1,
    itemId: item.id,
    name: say(item.name),
    quantity: draft.quantity,
    unitPriceCents,
    lineTotalCents: unitPriceCents * draft.quantity,
    modifiers,
  };
}

/** Prices an order from its menu version; throws an AppError naming the first bad line. */
export function priceOrder(menu: MenuIndex, lines: readonly LineDraft[], tax: TaxPolicy): PricedOrder {
  if (lines.length === 0) throw new AppError('EMPTY_ORDER');
  if (lines.length > MAX_LINES) throw new AppError('TOO_MANY_LINES', `An order can have at most ${MAX_LINES} lines.`, 'lines');
  const priced = lines.map((line, i) => priceLine(menu, line, i));
  const subtotalCents = priced.reduce((sum, l) => sum + l.lineTotalCents, 0);
  const taxCents = taxOf(subtotalCents, tax);
  return {
    currency: menu.currency,
    lines: priced,
    subtotalCents,
    taxCents,
    totalCents: tax.pricesIncludeTax ? subtotalCents : subtotalCents + taxCents,
  };
}

/**
 * A priced order's lines as its record carries them: with where each is made and how long it
 * takes, copied from the menu like its name and price, so a later menu never moves a placed
 * order's lines to another station.
 */
export const recordLines = (menu: Pick<MenuIndex, 'kitchen'>, lines: readonly PricedLine[]): RecordLine[] =>
  lines.map(({ lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers }) => {
    // Built field by field, not spread from the line and its placement: the spread objects took a
    // slow path in every later step on the server (the insert's JSON, the feed's, socket.io's check
    // for binary data, six times dearer): a seventh of the server's time an order.
    const line: RecordLine = { lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers };
    const placement = menu.kitchen.get(itemId);
    if (placement?.stationId !== undefined) line.stationId = placement.stationId;
    if (placement?.prepSeconds !== undefined) line.prepSeconds = placement.prepSeconds;
    return line;
  });
