// Device certificates for the store's LAN (PROTOCOL.md §11): the server signs the key of the device
// the socket signed in as, with its store's own authority; its peers check it with no server in reach.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '#protocol/deviceCertificate';
import type { Result } from '#protocol/errors';
import { CertifyResponseSchema, type CertifyResponse } from '#protocol/events';
import { StoreAuthorities } from '../../sync-server/devices/deviceCertificates';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createStore } from '../../sync-server/stores/stores';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { adminClient, type AdminClient } from '../support/adminClient';
import { connectProtocolClient, refusalOf, type ProtocolClient } from '../support/protocolClient';
import { startTestStack, type TestStack } from '../support/testStack';

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

const DAY_MS = 24 * 3600_000;
const publicKeyOf = (options: Parameters<typeof generateKeyPairSync>[1] & object, type: 'ec' | 'ed25519' | 'rsa' = 'ec') =>
  (generateKeyPairSync(type as 'ec', options as { namedCurve: string }).publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
const p256Key = () => publicKeyOf({ namedCurve: 'P-256' });

async function device(role: 'kiosk' | 'kitchen' | 'board', storeId = stack.storeId) {
  const { device, token } = await registerDevice(stack.db, { storeId, role, name: `${role} of the test` });
  const client = await connectProtocolClient(stack.url, { token });
  clients.push(client);
  return { id: device.id, token, client };
}

const certify = (client: ProtocolClient, publicKey: unknown) => client.request<CertifyResponse>('device:certify', { publicKey }) as Promise<Result<CertifyResponse>>;

describe('device:certify', () => {
  it('signs the key with the store’s authority, naming the device, store and role the server knows', async () => {
    const kitchen = await device('kitchen');
    const asked = Date.now();
    const answer = await certify(kitchen.client, p256Key());
    expect(answer.ok).toBe(true);
    const { certificate, storeAuthority, expiresAt } = CertifyResponseSchema.parse((answer as { data: unknown }).data);
    const cert = new X509Certificate(certificate);
    const authority = new X509Certificate(storeAuthority);
    expect(cert.verify(authority.publicKey)).toBe(true);
    expect(cert.checkIssued(authority)).toBe(true);
    expect(identityOf(cert)).toEqual({ deviceId: kitchen.id, storeId: stack.storeId, role: 'kitchen' });
    expect(Date.parse(expiresAt) - asked).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(Date.parse(expiresAt) - asked).toBeLessThan(30 * DAY_MS + 60_000);
    // The certificate ends when the answer says, to the second.
    expect(Math.abs(Date.parse(cert.validTo) - Date.parse(expiresAt))).toBeLessThan(1000);
    // A certificate of another key of the same store is signed by the very same authority.
    const kiosk = await device('kiosk');
    const second = CertifyResponseSchema.parse(((await certify(kiosk.client, p256Key())) as { data: unknown }).data);
    expect(second.storeAuthority).toBe(storeAuthority);
    expect(identityOf(new X509Certificate(second.certificate))).toEqual({ deviceId: kiosk.id, storeId: stack.storeId, role: 'kiosk' });
    expect(await stack.db.storeAuthority.count({ where: { storeId: stack.storeId } })).toBe(1);
  });

  it('gives two stores two authorities: one store’s certificate does not pass the other’s', async () => {
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Second café' });
    const here = await device('board');
    const there = await device('board', other.id);
    const [a, b] = await Promise.all([certify(here.client, p256Key()), certify(there.client, p256Key())]);
    const ours = CertifyResponseSchema.parse((a as { data: unknown }).data);
    const theirs = CertifyResponseSchema.parse((b as { data: unknown }).data);
    expect(ours.storeAuthority).not.toBe(theirs.storeAuthority);
    expect(new X509Certificate(theirs.certificate).verify(new X509Certificate(ours.storeAuthority).publicKey)).toBe(false);
    expect(identityOf(new X509Certificate(theirs.certificate))?.storeId).toBe(other.id);
  });

  it('makes one authority for a store when several server nodes ask at once', async () => {
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Third café' });
    // Each node keeps the authorities it has read; four fresh nodes race to make this store's.
    const nodes = [1, 2, 3, 4].map(() => new StoreAuthorities(stack.db));
    const made = await Promise.all(nodes.map((node) => node.of(other.id, new Date())));
    expect(new Set(made.map((a) => a.certificatePem)).size).toBe(1);
    expect(await stack.db.storeAuthority.count({ where: { storeId: other.id } })).toBe(1);
    // And the store's devices are certified by the one that was kept.
    const board = await device('board', other.id);
    const answer = CertifyResponseSchema.parse(((await certify(board.client, p256Key())) as { data: unknown }).data);
    expect(answer.storeAuthority).toBe(made[0]!.certificatePem);
  });

  it('refuses a key that is not an ECDSA P-256 public key, and stores nothing', async () => {
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Fourth café' });
    const kiosk = await device('kiosk', other.id);
    const badKeys = [
      publicKeyOf({ namedCurve: 'P-384' }),
      publicKeyOf({ modulusLength: 2048 } as never, 'rsa'),
      publicKeyOf({} as never, 'ed25519'),
      Buffer.from('not a key at all').toString('base64'),
      'not base64 !',
      42,
    ];
    for (const key of badKeys) {
      const answer = await certify(kiosk.client, key);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await stack.db.storeAuthority.count({ where: { storeId: other.id } })).toBe(0);
  });

  it('gives a revoked device no certificate', async () => {
    const kiosk = await device('kiosk');
    const revoked = await owner.request('POST', `/api/devices/${kiosk.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(await refusalOf(stack.url, { token: kiosk.token })).toBe('DEVICE_REVOKED');
    // A socket still open in the instant between revocation and its closing is refused too.
    const still = await connectProtocolClient(stack.url, { token: (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Doomed' })).token });
    clients.push(still);
    const id = (await stack.db.device.findFirstOrThrow({ where: { name: 'Doomed' } })).id;
    await stack.db.device.update({ where: { id }, data: { revokedAt: new Date() } });
    expect(await certify(still, p256Key())).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED' } });
  });
});
