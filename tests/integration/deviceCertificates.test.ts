// Device certificates for the store's LAN (PROTOCOL.md §11): the server signs the key of the device
// the socket signed in as, with its store's own authority; its peers check it with no server in reach.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '#protocol/deviceCertificate';
import type { Result } from '#protocol/errors';
import { CertifyResponseSchema, type CertifyResponse } from '#protocol/events';
import { readServerConfig } from '../../sync-server/config';
import { connectServerDatabase } from '../../sync-server/db/client';
import { openAuthorityKey } from '../../sync-server/devices/authoritySeal';
import { StoreAuthorities } from '../../sync-server/devices/deviceCertificates';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { jsonLogger, silentLogger } from '../../sync-server/log';
import { startSyncServer } from '../../sync-server/runtime';
import { createServer } from '../../sync-server/server';
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

async function device(role: 'kiosk' | 'kitchen' | 'board', storeId = stack.storeId, on: Pick<TestStack, 'db' | 'url'> = stack) {
  const { device, token } = await registerDevice(on.db, { storeId, role, name: `${role} of the test` });
  const client = await connectProtocolClient(on.url, { token });
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

describe('store authority keys sealed with TILLSYNC_AUTHORITY_SECRET', () => {
  const SECRET = 'the secret this deployment seals authority keys with';
  const WRONG = 'a secret of the right length that sealed nothing here';
  let sealed: TestStack;
  beforeAll(async () => {
    sealed = await startTestStack(undefined, { authoritySecret: SECRET });
  });
  afterAll(() => sealed.close());

  const keptKey = async (storeId: string) => (await sealed.db.storeAuthority.findUniqueOrThrow({ where: { storeId } })).privateKey;
  const certified = async (storeId: string) => {
    const kitchen = await device('kitchen', storeId, sealed);
    return CertifyResponseSchema.parse(((await certify(kitchen.client, p256Key())) as { data: unknown }).data);
  };
  /** The public key of a PEM private key, as DER, to compare with the authority certificate's. */
  const publicOf = (privateKeyPem: string) => createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
  const configOf = (secret?: string) =>
    readServerConfig({ DATABASE_URL: sealed.databaseUrl, PORT: '0', HOST: '127.0.0.1', ...(secret ? { TILLSYNC_AUTHORITY_SECRET: secret } : {}) });

  it('keeps no readable private key in the database, and its certificates still verify', async () => {
    const answer = await certified(sealed.storeId);
    const authority = new X509Certificate(answer.storeAuthority);
    expect(new X509Certificate(answer.certificate).verify(authority.publicKey)).toBe(true);
    const kept = await keptKey(sealed.storeId);
    expect(kept).toMatch(/^sealed:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(kept).not.toContain('PRIVATE KEY');
    expect(kept).not.toContain('-----BEGIN');
    // What is sealed is the very key the authority certificate names.
    expect(publicOf(openAuthorityKey(kept, sealed.storeId, SECRET)).equals(authority.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('seals a key kept plain from before the secret at its first use, and keeps the same authority', async () => {
    const store = await createStore(sealed.db, { ...DEMO_STORE, name: 'Café from before the secret' });
    // A node without the secret made this store's authority.
    const before = await new StoreAuthorities(sealed.db).of(store.id, new Date());
    expect(await keptKey(store.id)).toBe(before.privateKeyPem);
    expect(before.privateKeyPem).toContain('PRIVATE KEY');

    const answer = await certified(store.id);
    expect(answer.storeAuthority).toBe(before.certificatePem);
    expect(new X509Certificate(answer.certificate).verify(new X509Certificate(before.certificatePem).publicKey)).toBe(true);
    const kept = await keptKey(store.id);
    expect(kept).toMatch(/^sealed:v1:/);
    expect(openAuthorityKey(kept, store.id, SECRET)).toBe(before.privateKeyPem);
  });

  it('will not start without the secret the keys were sealed with, and says which to give; with it, seals what is still plain', async () => {
    const count = await sealed.db.storeAuthority.count({ where: { privateKey: { startsWith: 'sealed:' } } });
    expect(count).toBeGreaterThanOrEqual(2);
    await expect(startSyncServer(configOf(), silentLogger)).rejects.toThrow(
      `${count} store authorities are sealed and TILLSYNC_AUTHORITY_SECRET is not set: start the server with the TILLSYNC_AUTHORITY_SECRET they were sealed with.`,
    );
    await expect(startSyncServer(configOf(WRONG), silentLogger)).rejects.toThrow(
      `${count} store authorities are sealed and this TILLSYNC_AUTHORITY_SECRET does not open them: start the server with the TILLSYNC_AUTHORITY_SECRET they were sealed with.`,
    );
    // A node without the secret made one more store's authority, plain, in the meantime.
    const store = await createStore(sealed.db, { ...DEMO_STORE, name: 'Café certified by a node without the secret' });
    const plain = await new StoreAuthorities(sealed.db).of(store.id, new Date());
    expect(await keptKey(store.id)).toBe(plain.privateKeyPem);
    const lines: string[] = [];
    const right = await startSyncServer(configOf(SECRET), jsonLogger({ write: (line: string) => void lines.push(line) }));
    await right.stop();
    expect(lines.join('\n')).not.toContain('unsealed');
    // Starting with the secret sealed it, with no device certified.
    expect(openAuthorityKey(await keptKey(store.id), store.id, SECRET)).toBe(plain.privateKeyPem);
  });

  it('warns at start, without the secret, that the keys are kept unsealed', async () => {
    const lines: string[] = [];
    // The first stack's database holds plain keys only.
    const plain = await startSyncServer(
      readServerConfig({ DATABASE_URL: stack.databaseUrl, PORT: '0', HOST: '127.0.0.1' }),
      jsonLogger({ write: (line: string) => void lines.push(line) }),
    );
    await plain.stop();
    const warnings = lines.map((line) => JSON.parse(line) as { level: string; message: string }).filter((entry) => entry.level === 'warn');
    expect(warnings.map((entry) => entry.message)).toContain('store authority keys are kept unsealed in the database: set TILLSYNC_AUTHORITY_SECRET to seal them');
  });

  it('answers INTERNAL, signing nothing, on a node whose secret does not open the key', async () => {
    for (const authoritySecret of [undefined, WRONG]) {
      const node = connectServerDatabase(sealed.databaseUrl);
      const other = await createServer({ ...node, ...(authoritySecret ? { authoritySecret } : {}) });
      try {
        const { url } = await other.listen(0);
        const kiosk = await device('kiosk', sealed.storeId, { db: sealed.db, url });
        expect(await certify(kiosk.client, p256Key())).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
        kiosk.client.close();
      } finally {
        await other.close();
        await node.close();
      }
    }
  });

  it('does not open a sealed key copied into another store’s row', async () => {
    const store = await createStore(sealed.db, { ...DEMO_STORE, name: 'Café whose key is swapped' });
    await certified(store.id);
    const own = await keptKey(store.id);
    const borrowed = await keptKey(sealed.storeId);
    await sealed.db.storeAuthority.update({ where: { storeId: store.id }, data: { privateKey: borrowed } });
    try {
      // A fresh node, so nothing read before is remembered.
      await expect(new StoreAuthorities(sealed.db, SECRET).of(store.id, new Date())).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      await sealed.db.storeAuthority.update({ where: { storeId: store.id }, data: { privateKey: own } });
    }
    expect((await new StoreAuthorities(sealed.db, SECRET).of(store.id, new Date())).privateKeyPem).toContain('PRIVATE KEY');
  });
});
