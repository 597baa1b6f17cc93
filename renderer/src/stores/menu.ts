import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { MenuItemView, MenuView } from '#terminal-api/contract';
import { localClock, onSale } from '#protocol/dayparts';
import { indexMenu, textIn, type Text } from '#protocol/menu';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

export const useMenuStore = defineStore('menu', () => {
  /** The menu the current customer is ordering from. */
  const shown = shallowRef<MenuView | null>(null);
  /** The newest menu the terminal has; shown once the current customer is done. */
  const latest = shallowRef<MenuView | null>(null);
  /** Whether the customer is mid-order, which holds back a menu switch. */
  const holding = ref(false);

  const switchPending = computed(() => Boolean(shown.value && latest.value && shown.value.versionId !== latest.value.versionId));

  /** Sold-out toggles are live: they apply to the menu on screen even before it is switched. */
  function withLatestAvailability(menu: MenuView, source: MenuView): MenuView {
    const available = new Map(source.items.map((i) => [i.id, i.available]));
    return { ...menu, items: menu.items.map((item) => ({ ...item, available: available.get(item.id) ?? item.available })) };
  }

  /** Reads the terminal's newest menu; switches to it now unless a customer is mid-order. */
  const refresh = coalesced(async () => {
    const menu = await terminal.getMenu();
    latest.value = menu;
    if (!menu) return;
    if (!shown.value || !holding.value || shown.value.versionId === menu.versionId) shown.value = menu;
    else shown.value = withLatestAvailability(shown.value, menu);
  });

  /** Between customers: take the newest menu. */
  function adoptLatest(): void {
    holding.value = false;
    if (latest.value) shown.value = latest.value;
  }

  function hold(value: boolean): void {
    holding.value = value;
    if (!value) adoptLatest();
  }

  const index = computed(() => (shown.value ? indexMenu(shown.value.versionId, shown.value) : null));

  /** The screen's language; the menu's default where a text has no translation. */
  const locale = ref<string | null>(null);
  /** A menu text in the screen's language. */
  const say = (text: Text): string => {
    const menu = shown.value;
    return menu ? textIn(text, locale.value ?? menu.defaultLocale, menu.defaultLocale) : (Object.values(text)[0] ?? '');
  };

  /** The store's clock to the minute: breakfast leaves the screen when its daypart ends. */
  const minute = ref(Date.now());
  const ticker = setInterval(() => (minute.value = Date.now()), 20_000);
  onScopeDispose(() => clearInterval(ticker));
  const itemsByCategory = computed(() => {
    const groups = new Map<string, MenuItemView[]>();
    const menu = shown.value;
    if (!menu) return groups;
    const clock = localClock(new Date(minute.value), menu.timeZone);
    // A subcategory's items are shown under its category.
    const shelf = new Map(menu.categories.map((c) => [c.id, c.parentId ?? c.id]));
    for (const item of menu.items) {
      if (!onSale(item, menu, clock)) continue;
      const categoryId = shelf.get(item.categoryId) ?? item.categoryId;
      groups.set(categoryId, [...(groups.get(categoryId) ?? []), item]);
    }
    return groups;
  });

  return { shown, latest, holding, switchPending, index, locale, say, itemsByCategory, refresh, adoptLatest, hold };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useMenuStore, import.meta.hot));
