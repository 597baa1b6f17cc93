// How a store's terminals find each other (PROTOCOL.md §11): each says in its hello where its peer
// link listens; the store's whole device list goes on the feed (`store.peers`) whenever a device's
// address changes or a device is paired or revoked, and in snapshots. Terminals from before it are
// not sent it.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '#protocol/errors';
import { PullResponseSchema, SnapshotResponseSchema, type Change, type HelloResponse, type StorePeer } from '#protocol/events';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { adminClient, call, type AdminClient } from '../support/adminClient';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
const clients: ProtocolClient[] = [];
beforeAll(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await stack.close();
});

const CURRENT = { menuFormats: [1, 2], changeKinds: ['store.changed', 'order.paid', 'order.lines', 'store.peers'] };
const BEFORE_PEERS = { menuFormats: [1, 2], changeKinds: ['store.changed', 'order.paid', 'order.lines'] };

async function connect(token: string, reads: object) {
  const client = await connectProtocolClient(stack.url, { token, ...reads });
  clients.push(client);
  return client;
}

async function device(role: 'kiosk' | 'kitchen' | 'board', reads: object = CURRENT, name = `${role} ${clients.length + 1}`) {
  const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role, name });
  return { id: device.id, name, token, client: await connect(token, reads) };
}

const hello = async (client: ProtocolClient, extra: object = {}) => {
  const answer = (await client.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0, ...extra })) as Result<HelloResponse>;
  if (!answer.ok) throw new Error(`hello refused: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
};
const peersIn = (changes: Change[]) => changes.filter((c): c is Extract<Change, { kind: 'store.peers' }> => c.kind === 'store.peers');
const headSeq = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;

describe('store.peers', () => {
  it('tells the store’s other terminals where a terminal listens, once per change of address, and old terminals nothing', async () => {
    const kitchen = await device('kitchen');
    const old = await device('board', BEFORE_PEERS);
    const kiosk = await device('kiosk');
    const before = await headSeq();
    const lan = { port: 47_001, hosts: ['192.168.1.23', 'fd00::23'] };
    await hello(kiosk.client, { lan });
    const [change] = await eventually(() => peersIn(kitchen.client.live).length > 0 && peersIn(kitchen.client.live));
    const listed = change!.devices.find((d) => d.id === kiosk.id);
    expect(listed).toEqual({ id: kiosk.id, role: 'kiosk', name: kiosk.name, hosts: lan.hosts, port: 47_001, revoked: false } satisfies StorePeer);
    // The whole store: every device, those with no address yet too.
    expect(change!.devices.map((d) => d.id)).toEqual(expect.arrayContaining([kitchen.id, old.id, kiosk.id]));
    expect(change!.devices.find((d) => d.id === kitchen.id)).toMatchObject({ hosts: [], port: null, revoked: false });
    // The terminal from before it gets, under the same seq, a change it applies as nothing.
    await eventually(() => old.client.live.some((c) => c.seq === change!.seq));
    expect(old.client.live.find((c) => c.seq === change!.seq)).toEqual({ seq: change!.seq, at: change!.at, kind: 'device.revoked', deviceId: '00000000-0000-0000-0000-000000000000' });
    expect(peersIn(old.client.live)).toEqual([]);
    const pulledByOld = PullResponseSchema.parse(((await old.client.request('feed:pull', { after: before })) as { data: unknown }).data);
    expect(peersIn(pulledByOld.changes)).toEqual([]);
    const pulled = PullResponseSchema.parse(((await kitchen.client.request('feed:pull', { after: before })) as { data: unknown }).data);
    expect(peersIn(pulled.changes)).toEqual([change]);

    // The same address again appends nothing; a new one does.
    await hello(kiosk.client, { lan });
    await hello(kiosk.client);
    expect(await headSeq()).toBe(change!.seq);
    await hello(kiosk.client, { lan: { port: 47_001, hosts: ['192.168.1.24'] } });
    await eventually(() => peersIn(kitchen.client.live).length === 2);
    expect(peersIn(kitchen.client.live)[1]!.devices.find((d) => d.id === kiosk.id)).toMatchObject({ hosts: ['192.168.1.24'], port: 47_001 });
    const row = await stack.db.device.findUniqueOrThrow({ where: { id: kiosk.id } });
    expect([row.lanHosts, row.lanPort]).toEqual([['192.168.1.24'], 47_001]);
  });

  it('refuses a LAN address that is not IP literals and a port, and changes nothing', async () => {
    const kiosk = await device('kiosk');
    const before = await headSeq();
    for (const lan of [
      { port: 0, hosts: ['10.0.0.5'] },
      { port: 65_536, hosts: ['10.0.0.5'] },
      { port: 4000, hosts: ['till-3.local'] },
      { port: 4000, hosts: ['10.0.0.256'] },
      { port: 4000, hosts: Array.from({ length: 9 }, (_, i) => `10.0.0.${i + 1}`) },
      { port: 4000, hosts: ['10.0.0.5'], name: 'extra' },
    ]) {
      const answer = (await kiosk.client.request('session:hello', { protocolVersion: 1, cursor: 0, lan })) as Result<unknown>;
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await headSeq()).toBe(before);
    expect(await stack.db.device.findUniqueOrThrow({ where: { id: kiosk.id } })).toMatchObject({ lanHosts: [], lanPort: null });
  });

  it('lists a newly paired device, and a revoked one as revoked', async () => {
    const kitchen = await device('kitchen');
    const code = await owner.request<{ code: string }>('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'board', name: 'Board by the door' });
    const paired = await call<{ device: { id: string } }>(stack.url, 'POST', '/api/pairing', { code: code.body.code });
    expect(paired.status).toBe(201);
    const added = await eventually(() => peersIn(kitchen.client.live).find((c) => c.devices.some((d) => d.id === paired.body.device.id)));
    expect(added.devices.find((d) => d.id === paired.body.device.id)).toEqual({ id: paired.body.device.id, role: 'board', name: 'Board by the door', hosts: [], port: null, revoked: false });

    expect((await owner.request('POST', `/api/devices/${paired.body.device.id}/revoke`)).status).toBe(200);
    const revoked = await eventually(() => peersIn(kitchen.client.live).find((c) => c.devices.some((d) => d.id === paired.body.device.id && d.revoked)));
    // Right after the device.revoked it goes with.
    expect(kitchen.client.live.find((c) => c.seq === revoked.seq - 1)).toMatchObject({ kind: 'device.revoked', deviceId: paired.body.device.id });
  });

  it('puts the store’s devices in snapshots, for terminals that read them only', async () => {
    const kiosk = await device('kiosk');
    await hello(kiosk.client, { lan: { port: 4100, hosts: ['10.1.2.3'] } });
    const snapshot = SnapshotResponseSchema.parse(((await kiosk.client.request('feed:snapshot', {})) as { data: unknown }).data);
    const devices = await stack.db.device.findMany({ where: { storeId: stack.storeId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(snapshot.peers?.map((p) => p.id)).toEqual(devices.map((d) => d.id));
    expect(snapshot.peers?.find((p) => p.id === kiosk.id)).toMatchObject({ hosts: ['10.1.2.3'], port: 4100 });
    const old = await connect(kiosk.token, BEFORE_PEERS);
    const oldSnapshot = SnapshotResponseSchema.parse(((await old.request('feed:snapshot', {})) as { data: unknown }).data);
    expect(oldSnapshot.peers).toBeUndefined();
  });

  it('names the store’s authority in the hello, for terminals that read the device list only', async () => {
    const kitchen = await device('kitchen');
    const answer = await hello(kitchen.client);
    // Made by the hello if the store had none, as the first certificate would.
    const { certificatePem } = await stack.db.storeAuthority.findUniqueOrThrow({ where: { storeId: stack.storeId } });
    expect(answer.storeAuthority).toBe(new X509Certificate(certificatePem).fingerprint256.replaceAll(':', '').toLowerCase());
    // A terminal from before it parses its hello strictly: not a field more.
    const old = await connect(kitchen.token, BEFORE_PEERS);
    expect(await hello(old)).not.toHaveProperty('storeAuthority');
  });
});
