// Moving about a kiosk screen without touching it: a keyboard, a switch, or a 4-key pad in the
// manner of EZ Access (Up, Down, Enter, Back, and Help) on the kiosk's USB port. Up and Down go
// through everything that can be chosen on the screen in reading order — within an open window
// only — so one pair of keys reaches it all; Enter chooses; Back goes back or closes the window.
import { onMounted, onUnmounted } from 'vue';
import { focusable, isTabbable, type FocusableElement } from 'tabbable';

export type KeypadIntent = 'previous' | 'next' | 'select' | 'back' | 'help';

/**
 * The keys, as a keyboard or a keypad sends them. A USB keypad sends either the keys or, being a
 * numeric pad, the pad's positions (whether Num Lock is on or off): 8 up, 2 down, 5 or Enter
 * select, 4 back, 0 help. ArrowLeft and ArrowRight step too, mirrored right to left.
 */
const BY_KEY: Readonly<Record<string, KeypadIntent>> = { ArrowUp: 'previous', ArrowDown: 'next', Enter: 'select', Escape: 'back', BrowserBack: 'back', F1: 'help', Help: 'help' };
const BY_CODE: Readonly<Record<string, KeypadIntent>> = { Numpad8: 'previous', Numpad2: 'next', Numpad5: 'select', NumpadEnter: 'select', Numpad4: 'back', Numpad0: 'help' };
const TYPED = new Set(['text', 'search', 'email', 'tel', 'url', 'password']);

/** Where the arrow keys and Enter already mean something to the control itself. */
function ownKeys(element: Element | null): 'typing' | 'adjusting' | null {
  if (!element) return null;
  if (element instanceof HTMLInputElement) return TYPED.has(element.type) ? 'typing' : element.type === 'number' || element.type === 'range' ? 'adjusting' : null;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return 'adjusting';
  return element instanceof HTMLElement && element.isContentEditable ? 'adjusting' : null;
}

/** What a key press asks of the screen, or null when it is the focused control's own business. */
export function intentOf(event: KeyboardEvent, rightToLeft: boolean): KeypadIntent | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return null;
  const own = ownKeys(event.target instanceof Element ? event.target : null);
  // A numeric pad with Num Lock on types digits into a field.
  if (own && /^\d$/.test(event.key)) return null;
  let intent = BY_CODE[event.code] ?? BY_KEY[event.key] ?? null;
  if (!intent && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
    if (own) return null;
    intent = (event.key === 'ArrowRight') !== rightToLeft ? 'next' : 'previous';
  }
  if (!intent) return null;
  if (own === 'typing' && intent === 'select') return null;
  if (own === 'adjusting' && intent !== 'back' && intent !== 'help') return null;
  return intent;
}

/** The open modal window, whose contents are all there is to reach while it is open. */
export function openModal(): HTMLDialogElement | null {
  const open = [...document.querySelectorAll('dialog[open]')].filter((dialog) => dialog.matches(':modal'));
  return (open.at(-1) as HTMLDialogElement | undefined) ?? null;
}

/** Everything the keypad can reach on the screen, in reading order: what Tab reaches, and every choice of a radio group. */
export function readingOrder(scope: Element = openModal() ?? document.body): FocusableElement[] {
  return focusable(scope).filter((element) => isTabbable(element) || (element instanceof HTMLInputElement && element.type === 'radio'));
}

/** Moves the focus one step forward or back in reading order, round at the ends; returns where it went. */
export function moveFocus(step: 1 | -1): FocusableElement | null {
  const list = readingOrder();
  if (list.length === 0) return null;
  const active = document.activeElement;
  let at = list.indexOf(active as FocusableElement);
  if (at < 0 && active && active !== document.body) {
    // On something outside the sequence (a window itself, a heading): count from where it stands.
    const after = list.findIndex((element) => Boolean(active.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING));
    at = (after < 0 ? list.length : after) - (step > 0 ? 1 : 0);
  }
  const target = at < 0 ? list[step > 0 ? 0 : list.length - 1]! : list[(at + step + list.length) % list.length]!;
  target.focus();
  return target;
}

/** Enter on the focused control: what a tap on it would do. Buttons and links do it themselves. */
export function activate(event: KeyboardEvent): void {
  const target = document.activeElement;
  if (!(target instanceof HTMLElement) || target === document.body) return;
  const native = target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target.localName === 'summary';
  if (native && event.key === 'Enter') return;
  event.preventDefault();
  target.click();
}

/** What Back does while no window is open, newest first: each screen says where back is. */
const backs: Array<() => void> = [];

/** While the calling component lives, the keypad's Back (and Escape) runs `goBack`. */
export function useKeypadBack(goBack: () => void): void {
  onMounted(() => backs.push(goBack));
  onUnmounted(() => {
    const at = backs.lastIndexOf(goBack);
    if (at >= 0) backs.splice(at, 1);
  });
}

/** Back: closes the open window, or goes back a step; false when there is nowhere to go. */
export function goBack(event: KeyboardEvent): boolean {
  const modal = openModal();
  if (modal) {
    // Escape closes a window by itself (its cancel event); a keypad's Back key is made to do the same.
    if (event.key !== 'Escape' && modal.dispatchEvent(new Event('cancel', { cancelable: true }))) modal.close();
    return true;
  }
  const back = backs.at(-1);
  if (!back) return false;
  event.preventDefault();
  back();
  return true;
}
