// What the kiosk says aloud to a blind customer, in the screen's language: the browser's own speech
// synthesis where it has a voice for that language, otherwise the terminal's espeak-ng (the `speak`
// operation), out of the headphone jack either way. Each utterance cuts off the one before.
import { computeAccessibleDescription, computeAccessibleName, getRole } from 'dom-accessibility-api';
import { ref } from 'vue';
import type { SpeechLocale } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { currentLocale, LOCALES, t, type MessageKey } from '../i18n';
import { useAccessStore } from './accessStore';
import { speakablePrices } from './spokenMoney';

/** The most the terminal takes at once (SpeakInputSchema): a longer text is cut rather than refused. */
const MAX_SPOKEN = 1000;

/** False once the terminal has said it cannot speak (no espeak-ng): the options tell the customer. */
export const speechAvailable = ref(true);

/** Says `text` when the customer has speech on. */
export function speak(text: string): void {
  if (useAccessStore().speech) say(text);
}

/** Says `text` whatever the setting: the keypad's help, the mode being turned on or off. */
export function say(text: string): void {
  // Direction marks only confuse an engine; runs of spaces and line breaks are one pause.
  const clean = text.replace(/[\u200e\u200f\u061c]/g, '').replace(/\s+/g, ' ').trim().slice(0, MAX_SPOKEN);
  if (!clean) return;
  const locale: SpeechLocale = currentLocale();
  const voice = browserVoice(locale);
  if (voice) {
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(clean);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    speechSynthesis.speak(utterance);
    return;
  }
  terminal.speak({ text: clean, locale }).then(
    () => (speechAvailable.value = true),
    () => (speechAvailable.value = false),
  );
}

/** A voice of the browser's (Electron's: the operating system's) for `locale`, if it has one. */
function browserVoice(locale: SpeechLocale): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  return speechSynthesis.getVoices().find((voice) => voice.lang.toLowerCase().split(/[-_]/)[0] === locale) ?? null;
}

const SPOKEN_ROLES = new Set<string>(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'option', 'textbox', 'searchbox', 'combobox', 'slider', 'spinbutton', 'heading', 'menuitem']);
const word = (key: string) => t(`access.states.${key}` as MessageKey);

/** What a control is doing: selected, ticked, on, open, unavailable. */
function statesOf(element: Element, role: string | null): string[] {
  const states: string[] = [];
  const aria = (name: string) => element.getAttribute(`aria-${name}`);
  const checked = element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio') ? String(element.checked) : aria('checked');
  if (checked !== null) {
    const on = checked === 'true';
    if (role === 'switch') states.push(word(on ? 'on' : 'off'));
    else if (role === 'radio') states.push(word(on ? 'selected' : 'notSelected'));
    else states.push(word(on ? 'ticked' : 'notTicked'));
  }
  if (aria('pressed') !== null) states.push(word(aria('pressed') === 'true' ? 'selected' : 'notSelected'));
  if (aria('selected') === 'true') states.push(word('selected'));
  if (aria('expanded') !== null) states.push(word(aria('expanded') === 'true' ? 'expanded' : 'collapsed'));
  if (aria('current') !== null && aria('current') !== 'false') states.push(word('current'));
  if (element.matches(':disabled') || aria('disabled') === 'true') states.push(word('unavailable'));
  return states;
}

/**
 * What to say when `element` gets the focus: its accessible name, description and state, then what
 * it is, with prices as they are said — "Cappuccino, 3 euros 70, button".
 */
export function describeForSpeech(element: Element, currency: string | null): string {
  const name = computeAccessibleName(element);
  const description = computeAccessibleDescription(element);
  const role = getRole(element);
  const phrase = [name, description === name ? '' : description, ...statesOf(element, role), role && SPOKEN_ROLES.has(role) ? t(`access.roles.${role}` as MessageKey) : '']
    .filter(Boolean)
    .join(', ');
  return currency ? speakablePrices(phrase, currency, LOCALES[currentLocale()].intl) : phrase;
}
