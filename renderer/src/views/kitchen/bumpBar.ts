// A bump bar is a keyboard with a few keys; the store maps each action to one of them. Its keys
// work wherever the screen's focus is, except in a field (the language list keeps its arrows) and
// except Enter and Space on a control someone reached with Tab, which press that control as
// anywhere else. A tapped button gives up its focus at once, so a bump-bar Enter after a tap bumps
// the selected ticket, not the button touched a minute ago.
import { onMounted, onUnmounted } from 'vue';
import { KITCHEN_KEY_ACTIONS, type KitchenKeyAction, type KitchenSettings } from '#protocol/events';

const FIELDS = 'input, select, textarea';
const CONTROLS = 'button, a[href], summary';

/** The action `key` stands for in `keyMap`, if any. */
export const actionOf = (keyMap: KitchenSettings['keyMap'], key: string): KitchenKeyAction | null => KITCHEN_KEY_ACTIONS.find((action) => keyMap[action] === key) ?? null;

/** Calls `act` for each bump-bar key pressed while the component lives; `escape` for Escape. */
export function useBumpBar(keyMap: () => KitchenSettings['keyMap'] | null, act: (action: KitchenKeyAction) => void, escape: () => void): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest(FIELDS)) return;
    if (event.key === 'Escape') return escape();
    const map = keyMap();
    const action = map && actionOf(map, event.key);
    if (!action) return;
    if ((event.key === 'Enter' || event.key === ' ') && target?.closest(CONTROLS)) return;
    // Arrows, Space and Page keys would scroll; Backspace could go back a page.
    event.preventDefault();
    // A key held down does its action once.
    if (!event.repeat) act(action);
  };
  const dropTappedFocus = (event: MouseEvent) => {
    // detail is 0 for a click made with the keyboard: that focus stays.
    if (event.detail > 0 && document.activeElement instanceof HTMLElement && document.activeElement.closest(CONTROLS)) document.activeElement.blur();
  };
  onMounted(() => {
    window.addEventListener('keydown', onKey);
    window.addEventListener('click', dropTappedFocus);
  });
  onUnmounted(() => {
    window.removeEventListener('keydown', onKey);
    window.removeEventListener('click', dropTappedFocus);
  });
}
