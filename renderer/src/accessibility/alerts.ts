import { chime } from './chime';
import { speak } from './speech';

/** The chime is heard before the words. */
const AFTER_CHIME_MS = 450;

/**
 * An alert on a kiosk screen (payment declined, sold out, "Need more time?") is heard as well as
 * seen: every customer hears the chime, and a customer with speech on hears `text` after it. The
 * screen shows the alert as before (with role="alert", for screen readers).
 */
export function alert(text: string): void {
  chime();
  setTimeout(() => speak(text), AFTER_CHIME_MS);
}
