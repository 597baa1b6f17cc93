// The terminal's side of the store's LAN (PROTOCOL.md §11), with the real terminal core against the
// real server: it makes its key once, keeps it sealed, gets it certified after its hello and again
// before the certificate ends, says where its peer link listens, and keeps the store's devices.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityOf } from '#protocol/deviceCertificate';
import { LocalSql } from '../../electron/core/db/localSql';
import { readIdentity, readPeers } from '../../electron/core/peers/peerDirectory';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { bareSyncClient } from '../support/bareSyncClient';
import { keychain } from '../support/keychain';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let dir: string;
const cores: TerminalCore[] = [];
const files: LocalSql[] = [];
beforeEach(async () => {
  stack = await startTestStack();
  dir = await mkdtemp(join(tmpdir(), 'tillsync-peers-'));
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  files.splice(0).forEach((f) => f.close());
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

const DAY_MS = 24 * 3600_000;

async function startCore(file: string, options: { token?: string; secrets?: ReturnType<typeof keychain> } = {}) {
  const core = await createTerminalCore({
    databaseFile: file,
    ...(options.token ? { serverUrl: stack.url, deviceToken: options.token } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  cores.push(core);
  return core;
}

/** The terminal's file, read beside the running core (WAL lets a reader in). */
function open(file: string): LocalSql {
  const sql = new LocalSql(file);
  files.push(sql);
  return sql;
}

const storedCertificate = (sql: LocalSql) => sql.get<{ peerCertificate: string | null }>('SELECT peerCertificate FROM DeviceSettings WHERE id = 1')?.peerCertificate ?? null;

/** A terminal's sync client alone on its own file, saying its peer link listens at `lan`. */
async function listeningTerminal(token: string, lan: { port: number; hosts: string[] }) {
  const { sync, sql } = await bareSyncClient(join(dir, 'listening.db'), { serverUrl: stack.url, token, lan: () => lan });
  files.push(sql);
  sync.start();
  return sync;
}

describe('a terminal on the store’s LAN', () => {
  it('gets a sealed key, a certificate of it from its store, and the store’s devices with where they listen', async () => {
    const kitchen = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Grill' });
    const kiosk = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk by the door' });
    const file = join(dir, 'kitchen.db');
    const box = keychain();
    await startCore(file, { token: kitchen.token, secrets: box });
    const sql = open(file);

    const identity = await eventually(() => readIdentity(sql, box), 15_000);
    expect(identity).toMatchObject({ deviceId: kitchen.device.id, storeId: stack.storeId, role: 'kitchen' });
    const certificate = new X509Certificate(identity.certificatePem);
    const authority = new X509Certificate(identity.authorityPem);
    expect(certificate.verify(authority.publicKey)).toBe(true);
    expect(identityOf(certificate)).toEqual({ deviceId: kitchen.device.id, storeId: stack.storeId, role: 'kitchen' });
    // The certificate is of the key it keeps, and that key is sealed in the file.
    expect(certificate.publicKey.export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(createPrivateKey(identity.keyPem)).export({ type: 'spki', format: 'der' }));
    expect(sql.get<{ peerKey: string }>('SELECT peerKey FROM DeviceSettings')!.peerKey).toMatch(/^sealed:/);
    expect(readIdentity(sql, keychain())).toBeNull();

    // Another terminal says where its peer link listens: the kitchen hears it from the feed.
    const lan = { port: 47_010, hosts: ['192.168.7.20', 'fd00::7:20'] };
    const listening = await listeningTerminal(kiosk.token, lan);
    try {
      const listed = await eventually(() => readPeers(sql).find((p) => p.deviceId === kiosk.device.id && p.port === lan.port), 15_000);
      expect(listed).toEqual({ deviceId: kiosk.device.id, role: 'kiosk', name: 'Kiosk by the door', hosts: lan.hosts, port: lan.port, revoked: false });
      expect(readPeers(sql).find((p) => p.deviceId === kitchen.device.id)).toMatchObject({ role: 'kitchen', name: 'Grill', revoked: false });
      expect(await stack.db.device.findUniqueOrThrow({ where: { id: kiosk.device.id } })).toMatchObject({ lanHosts: lan.hosts, lanPort: lan.port });
    } finally {
      await listening.stop();
    }
  });

  it('takes the store’s devices from its first snapshot', async () => {
    const board = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'Board' });
    const kiosk = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk' });
    await stack.db.device.update({ where: { id: kiosk.device.id }, data: { lanHosts: ['10.9.8.7'], lanPort: 4444 } });
    const file = join(dir, 'board.db');
    await startCore(file, { token: board.token });
    const sql = open(file);
    const peers = await eventually(() => readPeers(sql).length === 2 && readPeers(sql), 15_000);
    expect(peers).toEqual([
      { deviceId: board.device.id, role: 'board', name: 'Board', hosts: [], port: null, revoked: false },
      { deviceId: kiosk.device.id, role: 'kiosk', name: 'Kiosk', hosts: ['10.9.8.7'], port: 4444, revoked: false },
    ]);
  });

  it('asks for a new certificate when its own ends within 10 days, and not before', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk' });
    const file = join(dir, 'kiosk.db');
    // The server's clock is 25 days behind: the certificate it signs ends 5 days from now.
    stack.clock.offsetMs = -25 * DAY_MS;
    const first = await startCore(file, { token });
    const sql = open(file);
    const shortPem = await eventually(() => storedCertificate(sql), 15_000);
    const short = new X509Certificate(shortPem);
    expect(Date.parse(short.validTo) - Date.now()).toBeLessThan(6 * DAY_MS);
    await first.close();

    stack.clock.offsetMs = 0;
    const second = await startCore(file);
    const renewedPem = await eventually(() => storedCertificate(sql) !== shortPem && storedCertificate(sql), 15_000);
    const renewed = new X509Certificate(renewedPem);
    expect(Date.parse(renewed.validTo) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    // Renewed for the same key: the key is made once.
    expect(renewed.publicKey.export({ type: 'spki', format: 'der' })).toEqual(short.publicKey.export({ type: 'spki', format: 'der' }));
    await second.close();

    // A certificate with weeks left is kept.
    const third = await startCore(file);
    await eventually(async () => (await third.api.getStatus()).connection === 'online', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(storedCertificate(sql)).toBe(renewedPem);
  });

  it('asks for a new certificate at its next session when the store’s authority was made again', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Grill' });
    const file = join(dir, 'kitchen.db');
    const box = keychain();
    const core = await startCore(file, { token, secrets: box });
    const sql = open(file);
    const before = await eventually(() => readIdentity(sql, box), 15_000);

    // The key was lost: the operator deletes the store's authority and starts the server again.
    await stack.stopServer();
    await stack.db.storeAuthority.delete({ where: { storeId: stack.storeId } });
    await stack.startServer();
    const after = await eventually(() => {
      const identity = readIdentity(sql, box);
      return identity && identity.authorityPem !== before.authorityPem && identity;
    }, 20_000);
    const { certificatePem: made } = await stack.db.storeAuthority.findUniqueOrThrow({ where: { storeId: stack.storeId } });
    expect(after.authorityPem).toBe(made);
    expect(new X509Certificate(after.certificatePem).verify(new X509Certificate(made).publicKey)).toBe(true);
    // The same key, certified again, still valid for weeks: nothing else about the terminal changed.
    expect(after.keyPem).toBe(before.keyPem);
    expect(Date.parse(new X509Certificate(after.certificatePem).validTo) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    // The certificate is asked for beside the catch-up, so it may be saved before the session is live.
    await eventually(async () => (await core.api.getStatus()).connection === 'online', 15_000);
  });
});
