import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { MenuItemView } from '#terminal-api/contract';
import type { Allergen, DietTag, MenuCategory } from '#protocol/menu';
import { passesFilters, type MenuFilters } from '../views/kiosk/browse/menuFilters';
import { indexMenuForSearch, type MenuSearchIndex } from '../views/kiosk/browse/menuSearch';
import { suggestionsFor } from '../views/kiosk/browse/suggestions';
import { useCartStore } from './cart';
import { useMenuStore } from './menu';
import { useVisitStore } from './visit';

/** A category's items of one kind: its own, or a subcategory's ("Burgers › Chicken"). */
export interface Shelf {
  category: MenuCategory;
  items: MenuItemView[];
}

/**
 * How the current customer is looking through the menu: the category they are in, what they typed
 * into search, and what they asked to hide or see only. Reset for the next customer.
 */
export const useBrowseStore = defineStore('browse', () => {
  const menu = useMenuStore();
  const cart = useCartStore();
  const visit = useVisitStore();

  /** The category the customer chose; the menu's first while none is (or it is no longer on sale). */
  const chosenCategoryId = ref<string | null>(null);
  /** The kind of that category they narrowed to, or null for all of it. */
  const subcategoryId = ref<string | null>(null);
  /** What they typed into search. */
  const query = ref('');
  /** Items that contain any of these are hidden. */
  const hiddenAllergens = ref(new Set<Allergen>());
  /** Only items with every one of these are shown. */
  const dietTags = ref(new Set<DietTag>());

  const filters = computed<MenuFilters>(() => ({ hiddenAllergens: hiddenAllergens.value, dietTags: dietTags.value }));
  const filterCount = computed(() => hiddenAllergens.value.size + dietTags.value.size);
  /**
   * The items the customer's filters hide, judged once when the filters or the menu change, not
   * again for every card drawn and every letter typed.
   */
  const filteredOut = computed(() => {
    const index = menu.index;
    if (!index || filterCount.value === 0) return new Set<string>();
    return new Set((menu.shown?.items ?? []).filter((item) => !passesFilters(index, item, filters.value)).map((item) => item.id));
  });
  /** Whether the customer's filters let the item be shown. */
  const wanted = (item: MenuItemView): boolean => !filteredOut.value.has(item.id);

  /** Every item on sale at this hour (dayparts), by id, as available as it is right now. */
  const onSale = computed(() => new Map([...menu.itemsByCategory.values()].flat().map((item) => [item.id, item])));

  /** The top-level categories with something on sale now, in the menu's order. */
  const categories = computed(() => (menu.shown?.categories ?? []).filter((c) => c.parentId === undefined && menu.itemsByCategory.has(c.id)));
  const category = computed(() => categories.value.find((c) => c.id === chosenCategoryId.value) ?? categories.value[0] ?? null);
  const categoryItems = computed(() => (category.value ? (menu.itemsByCategory.get(category.value.id) ?? []) : []));
  /** The chosen category's subcategories with something on sale now. */
  const subcategories = computed(() => {
    const here = new Set(categoryItems.value.map((item) => item.categoryId));
    return (menu.shown?.categories ?? []).filter((c) => c.parentId === category.value?.id && here.has(c.id));
  });
  /** What the customer sees of the chosen category: its own items, then each subcategory's, filtered. */
  const shelves = computed<Shelf[]>(() => {
    if (!category.value) return [];
    const kinds = [category.value, ...subcategories.value].filter((kind) => subcategoryId.value === null || kind.id === subcategoryId.value);
    return kinds.map((kind) => ({ category: kind, items: categoryItems.value.filter((item) => item.categoryId === kind.id && wanted(item)) })).filter((shelf) => shelf.items.length > 0);
  });

  function chooseCategory(id: string): void {
    chosenCategoryId.value = id;
    subcategoryId.value = null;
  }

  // Folding a menu for search happens once per version and language, not once per keystroke.
  let searchIndex: MenuSearchIndex | null = null;
  function currentSearchIndex(): MenuSearchIndex | null {
    const shown = menu.shown;
    if (!shown) return null;
    const locale = menu.locale ?? shown.defaultLocale;
    if (searchIndex?.versionId !== shown.versionId || searchIndex.locale !== locale) searchIndex = indexMenuForSearch(shown, locale);
    return searchIndex;
  }
  // What is on sale now by category, and the search index, are made while the kiosk is idle after
  // the menu or the language changed: on a 1,000-item menu they take tens of milliseconds, which
  // the tap on "Eat in" and the first letter typed would otherwise wait for.
  watch(
    [() => menu.shown?.versionId, () => menu.locale],
    () =>
      requestIdleCallback(
        () => {
          void categories.value;
          currentSearchIndex();
        },
        { timeout: 2000 },
      ),
    { immediate: true },
  );

  /** What search finds on sale now: the items the filters let through, and how many they hide. */
  const results = computed(() => {
    const index = query.value.trim() ? currentSearchIndex() : null;
    if (!index) return { items: [], hidden: 0 };
    const found = index.find(query.value).flatMap((id) => onSale.value.get(id) ?? []);
    const items = found.filter(wanted);
    return { items, hidden: found.length - items.length };
  });

  function toggleAllergen(allergen: Allergen): void {
    if (!hiddenAllergens.value.delete(allergen)) hiddenAllergens.value.add(allergen);
  }
  function toggleDietTag(tag: DietTag): void {
    if (!dietTags.value.delete(tag)) dietTags.value.add(tag);
  }
  function clearFilters(): void {
    hiddenAllergens.value.clear();
    dietTags.value.clear();
  }

  /**
   * What to offer with these items now, once a visit: suggestions the customer can have, has not
   * got and was not offered before; they count as offered from here on.
   */
  function suggestFor(itemIds: readonly string[]): MenuItemView[] {
    if (!menu.index) return [];
    const found = suggestionsFor(itemIds, {
      items: menu.index.items,
      onSaleNow: (id) => onSale.value.has(id),
      inCart: new Set(cart.lines.map((line) => line.itemId)),
      offered: visit.offered,
      wanted,
    });
    visit.offer(found.map((item) => item.id));
    return found;
  }

  /** The next customer starts at the first category, with nothing typed or filtered. */
  function reset(): void {
    chosenCategoryId.value = null;
    subcategoryId.value = null;
    query.value = '';
    clearFilters();
  }

  return {
    chosenCategoryId,
    subcategoryId,
    query,
    hiddenAllergens,
    dietTags,
    filterCount,
    wanted,
    onSale,
    categories,
    category,
    subcategories,
    shelves,
    results,
    chooseCategory,
    toggleAllergen,
    toggleDietTag,
    clearFilters,
    suggestFor,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useBrowseStore, import.meta.hot));
