// The checks a mutation gets before it joins a merge transaction: what the device may do, whether
// an order is priced right, whether a clock is believable. A refusal here is an answer for that
// mutation alone; the device's other mutations go on.
import { hash } from 'node:crypto';
import type { MenuCatalog } from '../menus/menuCatalog';
import { AppError, ERROR_CODES, type ErrorCode } from '../protocol/errors';
import { MAX_CLOCK_AHEAD_MS, type Mutation } from '../protocol/events';
import { parseHlc } from '../protocol/hlc';
import { MAY } from '../protocol/roleRights';
import type { StoreRules } from '../stores/storeRules';
import { checkUploadUnderAny } from './checkUpload';
import type { DeviceContext, PreparedMutation } from './mergeBatch';

export interface PrepareServices {
  menus: MenuCatalog;
  stores: StoreRules;
  now: () => number;
}

/**
 * SHA-256 of a mutation's content without its number, in hex. The mutation has been parsed by its
 * schema, whose output lists fields in one order, so the same change always has the same digest.
 * Kept as text from here to the database: every comparison on the way is a string comparison.
 */
export function digestOf({ id: _number, ...content }: Mutation): string {
  return hash('sha256', JSON.stringify(content), 'hex');
}

export async function prepareMutation(services: PrepareServices, device: DeviceContext, mutation: Mutation): Promise<PreparedMutation> {
  const refuse = (code: ErrorCode, message: string = ERROR_CODES[code], path?: string): PreparedMutation => ({
    id: mutation.id,
    kind: 'rejected',
    error: path === undefined ? { code, message } : { code, message, path },
  });
  if (!MAY[mutation.kind].includes(device.role)) return refuse('FORBIDDEN_FOR_ROLE', `A ${device.role} may not send ${mutation.kind}.`);
  const digest = digestOf(mutation);
  try {
    if (mutation.kind === 'order.place') {
      const menu = await services.menus.forOrder(device.storeId, mutation.order.menuVersionId);
      const order = await services.stores.judge(device.storeId, (rules) => checkUploadUnderAny(menu, rules, mutation.order, device, services.now()));
      return { id: mutation.id, digest, kind: 'order.place', order };
    }
    if (mutation.kind === 'order.paid') {
      // Stamped with the server's time as the terminal knows it, like a bump.
      if (Date.parse(mutation.paidAt) - services.now() > MAX_CLOCK_AHEAD_MS) {
        return refuse('CLOCK_DRIFT', `${ERROR_CODES.CLOCK_DRIFT} Set the device's date and time, then try again.`, 'paidAt');
      }
      return { id: mutation.id, digest, kind: 'order.paid', orderId: mutation.orderId, paidAt: new Date(mutation.paidAt).toISOString() };
    }
    const clock = parseHlc(mutation.hlc);
    if (!clock || clock.deviceId !== device.id) return refuse('INVALID_PAYLOAD', "The clock must carry this device's id.", 'hlc');
    if (clock.millis - services.now() > MAX_CLOCK_AHEAD_MS) {
      return refuse('CLOCK_DRIFT', `${ERROR_CODES.CLOCK_DRIFT} Set the device's date and time, then try again.`, 'hlc');
    }
    if (mutation.kind === 'order.lines') {
      return { id: mutation.id, digest, kind: 'order.lines', orderId: mutation.orderId, lineNos: mutation.lineNos, done: mutation.done, hlc: mutation.hlc };
    }
    return { id: mutation.id, digest, kind: 'order.status', orderId: mutation.orderId, status: mutation.status, hlc: mutation.hlc };
  } catch (error) {
    // Domain refusals are answers; anything else (the database is down) fails the whole push.
    if (error instanceof AppError && error.code !== 'UNAVAILABLE' && error.code !== 'INTERNAL') {
      return refuse(error.code, error.message, error.path);
    }
    throw error;
  }
}
