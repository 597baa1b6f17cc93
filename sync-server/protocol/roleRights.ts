// Who may change what: the server checks a device's mutations against it, and a terminal checks a
// peer's LAN feed against it, so a change refused by the cloud is refused over the LAN too.
import type { DeviceRole, Mutation } from './events';

/** What each role may ask the store's other devices to change. */
export const MAY: Record<Mutation['kind'], readonly DeviceRole[]> = {
  'order.place': ['kiosk'],
  'order.status': ['kitchen'],
  // Staff take a counter payment at the kiosk (its staff menu) or at the kitchen's pass.
  'order.paid': ['kiosk', 'kitchen'],
  'order.lines': ['kitchen'],
};
