// The kiosk's speech engine, with the real espeak-ng writing to a capture folder: what it is asked
// to run, what it writes, and a new utterance cutting off the one being said.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { espeakArgs, VOICES } from '../../../electron/core/speech/espeak';
import { Speaker } from '../../../electron/core/speech/speaker';
import { speechOptionsFrom, SpeechEnvSchema } from '../../../electron/core/speech/speechConfig';
import { wavDurationMs } from '../../../electron/core/speech/wavFile';
import { readSpokenWhenQuiet, wavLoudness, type SpokenOver } from '../../support/spokenLog';

let dir: string;
/** Waits until `count` utterances have been asked for and all of them are over. */
const quiet = (count: number): Promise<SpokenOver[]> =>
  vi.waitFor(
    async () => {
      const lines = await readSpokenWhenQuiet(dir);
      expect(lines).toHaveLength(count);
      return lines!;
    },
    { timeout: 15_000, interval: 50 },
  );

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-speech-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the espeak-ng command', () => {
  it('picks the voice of the screen language and takes the text on standard input', () => {
    expect(espeakArgs({ locale: 'en' })).toEqual(['-v', 'en-gb', '--stdin']);
    expect(espeakArgs({ locale: 'ar' })).toEqual(['-v', 'ar', '--stdin']);
    expect(espeakArgs({ locale: 'fr', wavFile: '/tmp/x.wav' })).toEqual(['-v', 'fr-fr', '-w', '/tmp/x.wav', '--stdin']);
    // Never -m: a text is never read as SSML markup.
    for (const locale of ['en', 'ar', 'fr'] as const) expect(espeakArgs({ locale })).not.toContain('-m');
  });

  it('reads its settings from the environment', () => {
    const env = SpeechEnvSchema.parse({ TILLSYNC_SPEECH_CAPTURE_DIR: '/var/tmp/speech', TILLSYNC_SPEECH_ENGINE: '/opt/espeak-ng/bin/espeak-ng', OTHER: 'x' });
    expect(speechOptionsFrom(env)).toEqual({ captureDir: '/var/tmp/speech', program: '/opt/espeak-ng/bin/espeak-ng' });
    expect(speechOptionsFrom(SpeechEnvSchema.parse({}))).toEqual({});
    expect(SpeechEnvSchema.safeParse({ TILLSYNC_SPEECH_CAPTURE_DIR: '' }).success).toBe(false);
  });
});

describe('speaking to a capture folder', () => {
  it('writes a WAV file of the sentence in each language and logs what was said', async () => {
    const speaker = new Speaker({ captureDir: dir });
    const said = { en: 'Cappuccino, 3 euros 70, button', ar: 'كابتشينو، 3 يورو 70، زر', fr: 'Cappuccino, 3 euros 70, bouton' } as const;
    for (const [locale, text] of Object.entries(said) as [keyof typeof said, string][]) {
      await expect(speaker.speak({ text, locale })).resolves.toEqual({ speaking: true });
      // Each is let finish: a new one would cut it off.
      await quiet(Object.keys(said).indexOf(locale) + 1);
    }
    await speaker.close();

    const lines = await quiet(3);
    expect(lines.map((l) => [l.locale, l.voice, l.text, l.outcome])).toEqual([
      ['en', VOICES.en, said.en, 'spoken'],
      ['ar', VOICES.ar, said.ar, 'spoken'],
      ['fr', VOICES.fr, said.fr, 'spoken'],
    ]);
    for (const line of lines) {
      const file = join(dir, line.wav);
      // A short sentence is a second or two of speech, not an empty or silent file.
      expect(line.durationMs).toBeGreaterThan(800);
      expect(line.heardMs).toBe(line.durationMs);
      expect(await wavDurationMs(file)).toBe(line.durationMs);
      expect(await wavLoudness(file)).toBeGreaterThan(500);
    }
  });

  it('cuts off what it is saying when asked to say something else, as the customer would hear it', async () => {
    const speaker = new Speaker({ captureDir: dir });
    const long = 'Your order: one cappuccino, large, with oat milk; two croissants; one orange juice. '.repeat(4);
    await speaker.speak({ text: long, locale: 'en' });
    // Made in a fraction of a second, then "played" for half a minute: cut it off a second in.
    await new Promise((r) => setTimeout(r, 1500));
    await speaker.speak({ text: 'Croissant, 2 euros 40, button', locale: 'en' });
    await speaker.speak({ text: 'Orange juice, 3 euros 20, button', locale: 'en' });
    await quiet(3);
    await speaker.close();

    const [first, second, third] = await quiet(3);
    expect(first).toMatchObject({ text: long, outcome: 'interrupted' });
    expect(first!.durationMs).toBeGreaterThan(10_000);
    expect(first!.heardMs).toBeGreaterThan(0);
    expect(first!.heardMs).toBeLessThan(first!.durationMs);
    // Its file holds only what was heard before the cut.
    expect(Math.abs((await wavDurationMs(join(dir, first!.wav))) - first!.heardMs)).toBeLessThanOrEqual(1);
    // Cut off at once by the third, before a word of it could be heard.
    expect(second).toMatchObject({ outcome: 'interrupted', heardMs: 0 });
    expect(third).toMatchObject({ text: 'Orange juice, 3 euros 20, button', outcome: 'spoken' });
  });

  it('says a text that looks like an option as words, never as an option', async () => {
    const speaker = new Speaker({ captureDir: dir });
    await speaker.speak({ text: '--version -w /tmp/elsewhere.wav', locale: 'en' });
    await quiet(1);
    await speaker.close();
    const [line] = await quiet(1);
    expect(line).toMatchObject({ outcome: 'spoken' });
    expect(line!.durationMs).toBeGreaterThan(1000);
    expect(existsSync('/tmp/elsewhere.wav')).toBe(false);
  });

  it('ends what it is saying when the kiosk closes, and logs it', async () => {
    const speaker = new Speaker({ captureDir: dir });
    await speaker.speak({ text: 'Welcome. Touch the screen or press a key on the keypad to order.', locale: 'en' });
    await new Promise((r) => setTimeout(r, 500));
    await speaker.close();
    expect(await quiet(1)).toMatchObject([{ outcome: 'interrupted' }]);
  });
});

it('says why when there is no speech engine', async () => {
  const speaker = new Speaker({ program: join(dir, 'no-espeak-ng-here') });
  await expect(speaker.speak({ text: 'Hello', locale: 'en' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: /espeak-ng/ });
  await speaker.close();
});
