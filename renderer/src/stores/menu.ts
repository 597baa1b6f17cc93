import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { MenuItemView, MenuView } from '../../../electron/core/api/contract';
import { indexMenu } from '../../../sync-server/protocol/menu';
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
  const itemsByCategory = computed(() => {
    const groups = new Map<string, MenuItemView[]>();
    for (const item of shown.value?.items ?? []) groups.set(item.categoryId, [...(groups.get(item.categoryId) ?? []), item]);
    return groups;
  });

  return { shown, latest, holding, switchPending, index, itemsByCategory, refresh, adoptLatest, hold };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useMenuStore, import.meta.hot));
