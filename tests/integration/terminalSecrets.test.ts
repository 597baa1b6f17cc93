// The terminal's key to its store: sealed in terminal.db where there is a keychain, never sent over
// plain http:// to another machine, and in a file no other user can read.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTerminalConfig } from '../../electron/core/terminalConfig';
import { createTerminalCore } from '../../electron/core/terminalCore';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { keychain } from '../support/keychain';
import { eventually, startTestStack, type TestStack } from '../support/testStack';
import { join } from 'node:path';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

/** Everything the terminal's files hold, as text: the database and any journal left beside it. */
const fileBytes = (file: string) => ['', '-wal'].filter((suffix) => existsSync(file + suffix)).map((suffix) => readFileSync(file + suffix).toString('latin1')).join('');
const online = async (core: Awaited<ReturnType<typeof createTerminalCore>>) => eventually(async () => (await core.api.getStatus()).connection === 'online');

describe('the device token', () => {
  it('is sealed in terminal.db where there is a keychain, and opens only with it', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'board' });
    const file = join(stack.dir, 'sealed.db');
    const box = keychain();
    const core = await createTerminalCore({ databaseFile: file, serverUrl: stack.url, deviceToken: token, secrets: box });
    await online(core);
    await core.close();
    expect(fileBytes(file)).not.toContain(token);

    const again = await createTerminalCore({ databaseFile: file, secrets: box });
    await online(again);
    await again.close();

    // The file copied to another machine is no use there.
    const elsewhere = await createTerminalCore({ databaseFile: file, secrets: keychain() });
    const status = await elsewhere.api.getStatus();
    expect(status.problem).toMatchObject({ code: 'AUTH_INVALID', message: expect.stringMatching(/pair this terminal again/i) });
    expect(status.connection).not.toBe('online');
    await elsewhere.close();
  });

  it('kept in plain text from before, is sealed at the next start with a keychain', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'board' });
    const file = join(stack.dir, 'plain.db');
    await (await createTerminalCore({ databaseFile: file, serverUrl: stack.url, deviceToken: token })).close();
    expect(fileBytes(file)).toContain(token);
    const sealed = await createTerminalCore({ databaseFile: file, secrets: keychain() });
    await online(sealed);
    await sealed.close();
    expect(fileBytes(file)).not.toContain(token);
  });

  it('sits in files only their user may read', async () => {
    const terminal = await stack.terminal('kitchen');
    await online(terminal.core);
    for (const suffix of ['', '-wal', '-shm']) expect((statSync(terminal.databaseFile + suffix).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('the server address', () => {
  it('must be https:// unless the server is this machine, or development says otherwise', async () => {
    const core = await createTerminalCore({ databaseFile: join(stack.dir, 'unpaired.db') });
    expect(await core.call('pair', { serverUrl: 'http://10.1.2.3:4000', code: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'INSECURE_SERVER_URL', path: 'serverUrl' } });
    // https:// and this machine's http:// get as far as asking the server.
    expect(await core.call('pair', { serverUrl: 'https://127.0.0.1:1', code: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await core.call('pair', { serverUrl: 'http://localhost:1', code: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await core.close();
    const developer = await createTerminalCore({ databaseFile: join(stack.dir, 'dev.db'), allowInsecureHttp: true });
    expect(await developer.call('pair', { serverUrl: 'http://10.1.2.3:1', code: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await developer.close();

    expect(() => readTerminalConfig({ TILLSYNC_SERVER_URL: 'http://sync.example.com' }, '/tmp/t')).toThrow(/TILLSYNC_SERVER_URL: Use the server's https:\/\/ address/);
    expect(readTerminalConfig({ TILLSYNC_SERVER_URL: 'http://sync.example.com', TILLSYNC_ALLOW_INSECURE_HTTP: '1' }, '/tmp/t')).toMatchObject({ allowInsecureHttp: true });
    expect(readTerminalConfig({ TILLSYNC_SERVER_URL: 'https://sync.example.com' }, '/tmp/t')).toMatchObject({ serverUrl: 'https://sync.example.com' });
  });
});
