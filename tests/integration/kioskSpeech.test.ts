// A kiosk speaks to a blind customer through its core's `speak` operation: espeak-ng in the
// customer's language, captured to WAV files here. Only the kiosk's own screen can make it talk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { wavDurationMs } from '../../electron/core/speech/wavFile';
import { readSpoken, readSpokenWhenQuiet, wavLoudness } from '../support/spokenLog';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let kiosk: TerminalCore;
let captureDir: string;

beforeAll(async () => {
  stack = await startTestStack();
  captureDir = await mkdtemp(join(tmpdir(), 'tillsync-spoken-'));
  // A kiosk that has met the server once knows it is a kiosk; it is started again with its speech captured.
  const first = await stack.terminal('kiosk');
  await eventually(async () => (await first.core.api.getStatus()).provisioned);
  await first.close();
  kiosk = await createTerminalCore({ databaseFile: first.databaseFile, speech: { captureDir } });
});
afterAll(async () => {
  await kiosk?.close();
  await stack?.close();
  await rm(captureDir, { recursive: true, force: true });
});

it('speaks in English and Arabic: a WAV file of real speech for each', async () => {
  const said = { en: 'Cappuccino, 3 euros 70, button', ar: 'كابتشينو، 3 يورو 70، زر' } as const;
  expect(await kiosk.call('speak', { text: said.en, locale: 'en' })).toEqual({ ok: true, data: { speaking: true } });
  await eventually(async () => (await readSpokenWhenQuiet(captureDir))?.length === 1, 15_000);
  expect(await kiosk.call('speak', { text: said.ar, locale: 'ar' })).toEqual({ ok: true, data: { speaking: true } });
  await eventually(async () => (await readSpokenWhenQuiet(captureDir))?.length === 2, 15_000);

  const [en, ar] = (await readSpokenWhenQuiet(captureDir))!;
  expect(en).toMatchObject({ locale: 'en', voice: 'en-gb', text: said.en, outcome: 'spoken' });
  expect(ar).toMatchObject({ locale: 'ar', voice: 'ar', text: said.ar, outcome: 'spoken' });
  for (const line of [en!, ar!]) {
    const file = join(captureDir, line.wav);
    expect(await wavDurationMs(file)).toBeGreaterThan(800);
    expect(await wavLoudness(file)).toBeGreaterThan(500);
  }
});

it('is refused to a screen on another device, to other roles and for bad input, and says nothing then', async () => {
  const before = (await readSpoken(captureDir)).length;
  expect(await kiosk.call('speak', { text: 'Hello', locale: 'en' }, { local: false })).toMatchObject({ ok: false, error: { code: 'LOCAL_ONLY' } });
  for (const input of [
    { text: 'Hallo', locale: 'nl' },
    { text: 'x'.repeat(1001), locale: 'en' },
    { text: ' \n\t ', locale: 'en' },
    { text: 'Hello', locale: 'en', ssml: true },
    { text: 42, locale: 'en' },
    undefined,
  ]) {
    expect(await kiosk.call('speak', input)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  }
  const kitchen = await stack.terminal('kitchen');
  await eventually(async () => (await kitchen.core.api.getStatus()).provisioned);
  expect(await kitchen.core.call('speak', { text: 'Hello', locale: 'en' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_FOR_ROLE' } });

  // One more that is allowed, to be sure the refused ones would have shown by now.
  await kiosk.call('speak', { text: 'Thank you', locale: 'en' });
  await eventually(async () => (await readSpokenWhenQuiet(captureDir))?.length === before + 1, 15_000);
  expect((await readSpoken(captureDir)).slice(before).map((l) => l.text)).toEqual(['Thank you']);
});
