// A locked kiosk window closes only for staff who give their PIN on the kiosk's own screen.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTerminalCore } from '../../electron/core/terminalCore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-staff-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('leaves kiosk mode for the staff PIN, from the kiosk itself only, and makes guessing slow', async () => {
  let left = 0;
  const core = await createTerminalCore({ databaseFile: join(dir, 'kiosk.db'), staffPin: '4821', onStaffExit: () => void (left += 1) });
  try {
    expect(await core.api.getStatus()).toMatchObject({ staffCanLeave: true });
    expect(await core.call('leaveKiosk', { pin: '4821' }, { local: false })).toMatchObject({ ok: false, error: { code: 'LOCAL_ONLY' } });
    expect(await core.call('leaveKiosk', { pin: '12' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.call('leaveKiosk', { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'STAFF_PIN_WRONG' } });
    expect(await core.call('leaveKiosk', { pin: '4821' })).toEqual({ ok: true, data: { leaving: true } });
    await new Promise((r) => setTimeout(r, 200));
    expect(left).toBe(1);
    for (let i = 0; i < 5; i++) expect(await core.call('leaveKiosk', { pin: `000${i}` })).toMatchObject({ ok: false, error: { code: 'STAFF_PIN_WRONG' } });
    expect(await core.call('leaveKiosk', { pin: '4821' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    expect(left).toBe(1);
  } finally {
    await core.close();
  }
});

it('has no kiosk window to leave in a browser, or without a staff PIN', async () => {
  for (const config of [{ staffPin: '4821' }, { onStaffExit: () => {} }]) {
    const core = await createTerminalCore({ databaseFile: join(dir, `t-${Object.keys(config)[0]}.db`), ...config });
    expect(await core.api.getStatus()).toMatchObject({ staffCanLeave: false });
    expect(await core.call('leaveKiosk', { pin: '4821' })).toMatchObject({ ok: false, error: { code: 'NOT_A_KIOSK_WINDOW' } });
    await core.close();
  }
});
