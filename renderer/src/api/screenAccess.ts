// Screens served to other devices of the shop's network must give the PIN shown on the terminal's
// own screen first (electron/host/webHost.ts). In Electron there is no such thing: null.
import { z } from 'zod';

const AccessSchema = z.object({ local: z.boolean(), granted: z.boolean() });
const RefusalSchema = z.object({ error: z.object({ code: z.string(), retryAfterMs: z.number().optional() }) });

/** Whether this screen may use its terminal, or null when it runs in the terminal's own window. */
export async function screenAccess(): Promise<z.output<typeof AccessSchema> | null> {
  if (window.tillsync) return null;
  return AccessSchema.parse(await (await fetch('/screen-access', { cache: 'no-store' })).json());
}

export type PinAnswer = { ok: true } | { ok: false; code: string; retryAfterMs?: number };

/** Gives the PIN; a right one leaves this browser with a session cookie for this terminal. */
export async function giveScreenPin(pin: string): Promise<PinAnswer> {
  const response = await fetch('/screen-pin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin }) });
  if (response.ok) return { ok: true };
  const refusal = RefusalSchema.safeParse(await response.json().catch(() => null));
  return refusal.success ? { ok: false, code: refusal.data.error.code, ...(refusal.data.error.retryAfterMs ? { retryAfterMs: refusal.data.error.retryAfterMs } : {}) } : { ok: false, code: 'UNAVAILABLE' };
}
