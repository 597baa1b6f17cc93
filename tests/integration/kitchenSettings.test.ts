// Head office sets how a store's kitchen works — when an order is ready, when a ticket turns amber
// and late, the sounds, the board's chime and clearing time, the bump bar's keys — and which
// stations each kitchen display makes, or that it is expo. Both reach the store's terminals live
// on its feed: a real kitchen display's screen shows them. Bad settings are named at their field,
// an unknown station by name, and change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KITCHEN_SETTINGS, DEFAULT_KIOSK_SETTINGS } from '#protocol/events';
import { createStore } from '../../sync-server/stores/stores';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { adminClient, type AdminClient } from '../support/adminClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
beforeEach(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  await stack.close();
});

type Refusal = { error: { code: string; message: string; path?: string; problems?: Array<{ path: string; message: string }> } };
const screenOf = async (kitchen: TestTerminal) => (await kitchen.core.api.listTickets()).screen;
const patchStore = (admin: AdminClient, body: unknown) => admin.request<Refusal & { kitchen: unknown }>('PATCH', `/api/stores/${stack.storeId}`, body);
const storedKitchen = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).kitchen;

describe("a store's kitchen settings", () => {
  it('start as the defaults, change only where given, and reach a kitchen display and the board live', async () => {
    const kitchen = await stack.terminal('kitchen');
    const board = await stack.terminal('board');
    expect(await eventually(async () => (await screenOf(kitchen).catch(() => null))?.settings)).toEqual(DEFAULT_KITCHEN_SETTINGS);
    const { stores } = (await owner.request<{ stores: Array<{ id: string; kitchen: unknown }> }>('GET', '/api/stores')).body;
    expect(stores.find((s) => s.id === stack.storeId)!.kitchen).toEqual(DEFAULT_KITCHEN_SETTINGS);

    const changed = await patchStore(owner, { kitchen: { readyWhen: 'all-stations', warnMinutes: 3, lateMinutes: 6, boardChime: true, boardClearMinutes: 2, keyMap: { bump: 'b' } } });
    const expected = { ...DEFAULT_KITCHEN_SETTINGS, readyWhen: 'all-stations', warnMinutes: 3, lateMinutes: 6, boardChime: true, boardClearMinutes: 2, keyMap: { ...DEFAULT_KITCHEN_SETTINGS.keyMap, bump: 'b' } };
    expect(changed).toMatchObject({ status: 200, body: { kitchen: expected, kiosk: DEFAULT_KIOSK_SETTINGS } });
    await eventually(async () => JSON.stringify((await screenOf(kitchen)).settings) === JSON.stringify(expected));
    expect((await screenOf(kitchen)).settings).toEqual(expected);
    await eventually(async () => (await board.core.api.getBoard()).chime);
    const [event] = await stack.db.auditEvent.findMany({ where: { storeId: stack.storeId, action: 'store-changed' } });
    expect(event!.detail).toMatchObject({ before: { kitchen: DEFAULT_KITCHEN_SETTINGS }, after: { kitchen: expected } });

    // One setting, or one key, keeps the rest; a display started afresh reads them in its hello.
    expect(await patchStore(owner, { kitchen: { lateSound: false, keyMap: { recall: 'r' } } })).toMatchObject({
      body: { kitchen: { ...expected, lateSound: false, keyMap: { ...expected.keyMap, recall: 'r' } } },
    });
    expect(await patchStore(owner, { kitchen: { warnMinutes: 3 } })).toMatchObject({ status: 200 });
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(2);
    const later = await stack.terminal('kitchen');
    expect(await eventually(async () => (await screenOf(later).catch(() => null))?.settings)).toMatchObject({ lateSound: false, keyMap: { recall: 'r', bump: 'b' } });
  });

  it('names every bad setting at its field, checks the whole with what is kept, and changes nothing', async () => {
    const bad = await patchStore(owner, {
      kitchen: { readyWhen: 'never', warnMinutes: 0, boardClearMinutes: 1000, newTicketSound: 'loud', keyMap: { bump: '', shout: 'x' }, volume: 3 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'kitchen.readyWhen', message: expect.stringContaining('expo (an order is ready when expo sends it out) or all-stations') },
        { path: 'kitchen.warnMinutes', message: 'kitchen.warnMinutes: a whole number of minutes from 1 to 120' },
        { path: 'kitchen.boardClearMinutes', message: 'kitchen.boardClearMinutes: a whole number of minutes from 1 to 240' },
        { path: 'kitchen.newTicketSound', message: expect.stringMatching(/^kitchen\.newTicketSound: /) },
        { path: 'kitchen.keyMap.bump', message: expect.stringMatching(/^kitchen\.keyMap\.bump: /) },
        { path: 'kitchen.keyMap', message: expect.stringContaining('"shout"') },
        { path: 'kitchen', message: expect.stringContaining('"volume"') },
      ]),
    );
    // Amber after 12 minutes while late stays at the kept 10: the late time is named, saying what to do.
    expect((await patchStore(owner, { kitchen: { warnMinutes: 12 } })).body.error).toMatchObject({
      code: 'INVALID_PAYLOAD',
      path: 'kitchen.lateMinutes',
      problems: [{ path: 'kitchen.lateMinutes', message: expect.stringContaining('turns amber at 12 minutes, so it can turn late only after that: make the late time longer') }],
    });
    // A key another action keeps is refused at both actions.
    expect((await patchStore(owner, { kitchen: { keyMap: { bump: 'ArrowLeft' } } })).body.error.problems).toEqual([
      { path: 'kitchen.keyMap.previous', message: 'kitchen.keyMap.previous: ArrowLeft is also the key for bump: give each action a key of its own' },
      { path: 'kitchen.keyMap.bump', message: 'kitchen.keyMap.bump: ArrowLeft is also the key for previous: give each action a key of its own' },
    ]);
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(0);
    expect(await storedKitchen()).toBeNull();
    // Both changed together are fine: Enter and Space swap places.
    expect(await patchStore(owner, { kitchen: { warnMinutes: 12, lateMinutes: 20, keyMap: { bump: ' ', bumpItem: 'Enter' } } })).toMatchObject({
      status: 200,
      body: { kitchen: { warnMinutes: 12, lateMinutes: 20, keyMap: { bump: ' ', bumpItem: 'Enter' } } },
    });
  });
});

interface Listed {
  devices: Array<{ id: string; name: string; role: string; stations: string[]; expo: boolean }>;
  stations: Array<{ id: string; name: string }>;
}

describe("a kitchen display's stations", () => {
  it('are set from the menu\'s stations, reach the display live, and are listed with the devices', async () => {
    const kitchen = await stack.terminal('kitchen', { name: 'Bar screen' });
    expect(await eventually(() => screenOf(kitchen).catch(() => null))).toMatchObject({ stations: [], expo: false });
    const listed = (await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/devices`)).body;
    expect(listed.stations).toEqual([
      { id: 'bar', name: 'Bar' },
      { id: 'kitchen', name: 'Kitchen' },
      { id: 'counter', name: 'Counter' },
    ]);
    expect(listed.devices).toEqual([expect.objectContaining({ id: kitchen.deviceId, name: 'Bar screen', stations: [], expo: false })]);

    const set = await owner.request('PATCH', `/api/devices/${kitchen.deviceId}`, { stations: ['bar', 'counter'], expo: false });
    expect(set).toMatchObject({ status: 200, body: { device: { id: kitchen.deviceId, name: 'Bar screen', stations: ['bar', 'counter'], expo: false } } });
    await eventually(async () => (await screenOf(kitchen)).stations.length === 2);
    expect(await screenOf(kitchen)).toMatchObject({ stations: [{ id: 'bar', name: 'Bar' }, { id: 'counter', name: 'Counter' }], expo: false });
    expect((await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/devices`)).body.devices[0]).toMatchObject({ stations: ['bar', 'counter'], expo: false });
    const [audited] = await stack.db.auditEvent.findMany({ where: { action: 'device-stations-changed' } });
    expect(audited).toMatchObject({ storeId: stack.storeId, detail: { deviceId: kitchen.deviceId, before: { stations: [], expo: false }, after: { stations: ['bar', 'counter'], expo: false } } });

    // Expo, live; the same again changes nothing.
    expect((await owner.request('PATCH', `/api/devices/${kitchen.deviceId}`, { stations: [], expo: true })).status).toBe(200);
    await eventually(async () => (await screenOf(kitchen)).expo);
    expect((await screenOf(kitchen)).stations).toEqual([]);
    expect((await owner.request('PATCH', `/api/devices/${kitchen.deviceId}`, { stations: [], expo: true })).status).toBe(200);
    expect(await stack.db.storeChange.count({ where: { kind: 'device.stations' } })).toBe(2);

    // A display restarted on its file keeps what it was set to.
    await kitchen.close();
    const reopened = await stack.reopen(kitchen);
    expect(await screenOf(reopened)).toMatchObject({ stations: [], expo: true });
  });

  it('refuses a station the menu does not have by name, and anything but a kitchen display, changing nothing', async () => {
    const kitchen = await stack.terminal('kitchen');
    const kiosk = await stack.terminal('kiosk', { name: 'Kiosk by the door' });
    const patch = (deviceId: string, body: unknown) => owner.request<Refusal>('PATCH', `/api/devices/${deviceId}`, body);

    expect(await patch(kitchen.deviceId, { stations: ['bar', 'grill'], expo: false })).toMatchObject({
      status: 400,
      body: { error: { code: 'UNKNOWN_STATION', path: 'stations[1]', message: expect.stringContaining('"grill" is not a station of this store\'s menu (its stations are bar (Bar), kitchen (Kitchen), counter (Counter))') } },
    });
    expect(await patch(kitchen.deviceId, { stations: ['bar', 'bar'], expo: false })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'stations' } } });
    expect(await patch(kitchen.deviceId, { stations: ['Bar'], expo: false })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'stations[0]' } } });
    expect(await patch(kitchen.deviceId, { stations: ['bar'] })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'expo' } } });
    expect(await patch(kitchen.deviceId, { stations: ['bar'], expo: true })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'stations', message: expect.stringContaining('leave the stations empty for expo') } } });
    expect(await patch(kiosk.deviceId, { stations: ['bar'], expo: false })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_PAYLOAD', message: '"Kiosk by the door" is not a kitchen display: only a kitchen display makes stations, or is expo.' } },
    });
    expect(await patch('0190a0a0-0000-7000-8000-000000000000', { stations: [], expo: true })).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect(await patch('not-a-device', { stations: [], expo: true })).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect(await owner.request('POST', `/api/devices/${kitchen.deviceId}/revoke`)).toMatchObject({ status: 200 });
    expect(await patch(kitchen.deviceId, { stations: ['bar'], expo: false })).toMatchObject({ status: 422, body: { error: { code: 'DEVICE_REVOKED' } } });

    expect(await stack.db.storeChange.count({ where: { kind: 'device.stations' } })).toBe(0);
    expect(await stack.db.device.findUniqueOrThrow({ where: { id: kitchen.deviceId } })).toMatchObject({ stations: [], expo: false });
    expect(await stack.db.auditEvent.count({ where: { action: 'device-stations-changed' } })).toBe(0);
  });

  it("are set by owners and the store's managers; kitchen settings by owners only", async () => {
    const kitchen = await stack.terminal('kitchen');
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    const editor = await adminClient(stack.db, stack.url, { role: 'editor' });
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    const elsewhere = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [other.id] });
    const drinks = { stations: ['bar'], expo: false };

    expect(await editor.request('PATCH', `/api/devices/${kitchen.deviceId}`, drinks)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect(await elsewhere.request('PATCH', `/api/devices/${kitchen.deviceId}`, drinks)).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect(await manager.request('PATCH', `/api/devices/${kitchen.deviceId}`, drinks)).toMatchObject({ status: 200, body: { device: drinks } });
    await eventually(async () => (await screenOf(kitchen)).stations.length === 1);

    expect(await patchStore(manager, { kitchen: { boardChime: true } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect(await patchStore(editor, { kitchen: { boardChime: true } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect((await manager.request<{ stores: Array<{ kitchen: unknown }> }>('GET', '/api/stores')).body.stores[0]!.kitchen).toEqual(DEFAULT_KITCHEN_SETTINGS);
    expect(await storedKitchen()).toBeNull();
  });
});
