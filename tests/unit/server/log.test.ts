import { describe, expect, it } from 'vitest';
import { jsonLogger } from '../../../sync-server/log';

/** What the logger wrote, one parsed entry per line. */
function capture() {
  const lines: string[] = [];
  return { log: jsonLogger({ write: (line: string) => void lines.push(line) }), entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the server log', () => {
  it('writes one JSON object a line, with time, level name and message', () => {
    const { log, entries } = capture();
    log.warn('a budget ran out', { budget: 'mutations', key: 'device-1' });
    const [entry] = entries();
    expect(entry).toMatchObject({ level: 'warn', message: 'a budget ran out', budget: 'mutations', key: 'device-1' });
    expect(new Date(entry!.time as string).toISOString()).toBe(entry!.time);
  });

  it('never writes a token, password, PIN, pairing code or cookie, at the top or one level down', () => {
    const { log, entries } = capture();
    log.error('sign-in failed', {
      token: 'device-secret',
      password: 'hunter2',
      body: { currentPassword: 'old-secret', newPassword: 'new-secret', pairingCode: 'ABCD-EFGH', pin: '123456' },
      request: { headers: { cookie: 'session=abc', authorization: 'Bearer abc', 'set-cookie': 'session=abc' } },
      email: 'owner@example.com',
    });
    const written = JSON.stringify(entries());
    for (const secret of ['device-secret', 'hunter2', 'old-secret', 'new-secret', 'ABCD-EFGH', '123456', 'session=abc', 'Bearer abc']) expect(written).not.toContain(secret);
    expect(entries()[0]).toMatchObject({ email: 'owner@example.com', token: '[redacted]' });
  });
});
