// Accessibility on the kiosk's screens, set up once by the kiosk view: the mode's classes on <html>
// (access.css), the keypad and keyboard (keypad.ts), and speech — the focused control as it is
// reached, a new screen's title, totals as they change.
import { computeAccessibleName } from 'dom-accessibility-api';
import { onMounted, onUnmounted, watch, watchEffect } from 'vue';
import { currentLocale, LOCALES, t } from '../i18n';
import { useMenuStore } from '../stores/menu';
import { useTerminalStore } from '../stores/terminal';
import { useAccessStore } from './accessStore';
import { activate, goBack, intentOf, moveFocus, openModal } from './keypad';
import { describeForSpeech, say, speak } from './speech';
import { spokenMoney } from './spokenMoney';

/** The store's currency, to say prices in. */
function useCurrency(): () => string | null {
  const menu = useMenuStore();
  const terminal = useTerminalStore();
  return () => menu.shown?.currency ?? terminal.status?.store?.currency ?? null;
}

/** What the focused control is, for the help key and for speech. */
const focusedPhrase = (currency: string | null) =>
  document.activeElement && document.activeElement !== document.body ? describeForSpeech(document.activeElement, currency) : '';

/** Call once, in the kiosk's root view. */
export function useKioskAccessibility(): void {
  const access = useAccessStore();
  const currency = useCurrency();
  const root = document.documentElement;

  watchEffect(() => {
    root.classList.toggle('access-on', access.on);
    root.classList.toggle('access-lowered', access.lowered);
    root.classList.toggle('access-contrast', access.highContrast);
    root.classList.toggle('access-large', access.largeText);
  });

  /** The window the focus was last in: entering another one says its name first. */
  let lastDialog: Element | null = null;
  function onFocus(event: FocusEvent): void {
    if (!(event.target instanceof Element) || !access.speech) return;
    const dialog = event.target.closest('dialog');
    const phrase = describeForSpeech(event.target, currency());
    speak(dialog && dialog !== lastDialog ? `${t('access.dialog', { name: computeAccessibleName(dialog) })}. ${phrase}` : phrase);
    lastDialog = dialog;
  }

  function onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented) return;
    const intent = intentOf(event, root.dir === 'rtl');
    if (!intent) return;
    const nothingFocused = !document.activeElement || document.activeElement === document.body;
    if (!access.on && (intent === 'help' || nothingFocused)) {
      // A customer who cannot see the screen starts at the keypad: the mode comes on and says how it works.
      event.preventDefault();
      access.turnOn();
      say(`${t('access.turnedOn')} ${t('access.help')}`);
      return;
    }
    if (intent === 'previous' || intent === 'next') {
      event.preventDefault();
      moveFocus(intent === 'next' ? 1 : -1);
    } else if (intent === 'select') {
      activate(event);
    } else if (intent === 'back') {
      if (!goBack(event)) speak(t('access.nothingToGoBackTo'));
    } else {
      event.preventDefault();
      say(`${t('access.help')} ${focusedPhrase(currency())}`);
    }
  }

  // A new screen (its title changes while nothing has the focus, as when the last screen's buttons
  // went with it) is announced by its title; keypad Down then starts at its first control.
  let title = '';
  let settle: ReturnType<typeof setTimeout> | undefined;
  const announceScreen = () => {
    const now = (openModal() ?? document).querySelector('h1')?.textContent?.trim() ?? '';
    if (now === title) return;
    title = now;
    if (now && (!document.activeElement || document.activeElement === document.body)) speak(now);
  };
  const screens = new MutationObserver(() => {
    clearTimeout(settle);
    settle = setTimeout(announceScreen, 150);
  });

  onMounted(() => {
    root.classList.add('kiosk-screen');
    window.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocus);
    screens.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  onUnmounted(() => {
    window.removeEventListener('keydown', onKey);
    document.removeEventListener('focusin', onFocus);
    screens.disconnect();
    clearTimeout(settle);
    root.classList.remove('kiosk-screen', 'access-on', 'access-lowered', 'access-contrast', 'access-large');
  });
}

/** Says the order's total whenever it changes, with speech on: "Total: 12 euros 40". */
export function useSpokenTotal(totalCents: () => number | null | undefined): void {
  const currency = useCurrency();
  let pending: ReturnType<typeof setTimeout> | undefined;
  watch(totalCents, (cents, before) => {
    const inCurrency = currency();
    if (cents === null || cents === undefined || cents === before || !inCurrency) return;
    clearTimeout(pending);
    // After what the customer pressed has been said, and once for several quick changes.
    pending = setTimeout(() => speak(t('access.total', { amount: spokenMoney(cents, inCurrency, LOCALES[currentLocale()].intl) })), 300);
  });
  onUnmounted(() => clearTimeout(pending));
}
