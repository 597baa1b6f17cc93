// The kiosk's voice for blind customers, through the headphone jack: espeak-ng speaking in the
// customer's language, each new utterance cutting off the one before (as a screen reader does when
// focus moves on). With a capture folder, nothing is played: each utterance is written to a WAV
// file and logged in spoken.jsonl, cut where the next one would have cut it off — what a customer
// with headphones would have heard, for tests and for checking a kiosk without speakers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '#protocol/errors';
import type { SpeakInput, SpeechLocale } from '../api/contract';
import { espeakArgs, VOICES } from './espeak';
import { cutWav, wavDurationMs } from './wavFile';

export interface SpeakerOptions {
  /** The espeak-ng program: its name on the PATH, or a path (TILLSYNC_SPEECH_ENGINE). */
  program?: string | undefined;
  /** Write what is said here (WAV files and spoken.jsonl) instead of playing it (TILLSYNC_SPEECH_CAPTURE_DIR). */
  captureDir?: string | undefined;
  log?: ((message: string, fields?: Record<string, unknown>) => void) | undefined;
}

/**
 * The capture log, JSON lines: an utterance's `SpokenStart` as soon as it is asked for, and its
 * `SpokenEnd` once it is over. A reader merges the two by `seq`.
 */
export const SPOKEN_LOG = 'spoken.jsonl';

export interface SpokenStart {
  /** 1, 2, 3… in the order the kiosk was asked to say them. */
  seq: number;
  /** When it was asked for. */
  at: string;
  locale: SpeechLocale;
  voice: string;
  text: string;
  /** The WAV file, in the capture folder. */
  wav: string;
}

export interface SpokenEnd {
  seq: number;
  outcome: 'spoken' | 'interrupted' | 'failed';
  /** How long it plays in full, and how much of it played before the next utterance cut in. */
  durationMs: number;
  heardMs: number;
}

/** An utterance as the log tells it: still being said, or over (with its durations). */
export type SpokenLine = SpokenStart & Partial<Pick<SpokenEnd, 'durationMs' | 'heardMs'>> & { outcome: SpokenEnd['outcome'] | 'speaking' };

interface Utterance {
  /** Settles once the engine has started (or could not be started). */
  started: Promise<void>;
  /** Settles once it is over: said, cut off, or failed. */
  ended: Promise<void>;
  /** Cuts it off now. */
  stop(): void;
}

const STDERR_KEPT = 2000;

export class Speaker {
  private current: Utterance | null = null;
  private count = 0;
  private writes = Promise.resolve();
  private readonly program: string;
  private readonly log: NonNullable<SpeakerOptions['log']>;

  constructor(private readonly options: SpeakerOptions = {}) {
    this.program = options.program ?? 'espeak-ng';
    this.log = options.log ?? (() => {});
    if (options.captureDir) mkdirSync(options.captureDir, { recursive: true });
  }

  /** Says `text` in `locale`'s voice, cutting off whatever is being said; resolves once it has started. */
  async speak({ text, locale }: SpeakInput): Promise<{ speaking: true }> {
    this.current?.stop();
    // Taken synchronously, so that a call arriving meanwhile cuts this one off rather than overlapping it.
    const utterance = this.options.captureDir ? this.capture(this.options.captureDir, text, locale) : this.play(text, locale);
    this.current = utterance;
    void utterance.ended.then(() => {
      if (this.current === utterance) this.current = null;
    });
    await utterance.started;
    return { speaking: true };
  }

  /** Stops speaking and finishes the capture log. */
  async close(): Promise<void> {
    const last = this.current;
    last?.stop();
    await last?.ended;
    await this.writes;
  }

  private run(text: string, locale: SpeechLocale, wavFile?: string) {
    const child: ChildProcess = spawn(this.program, espeakArgs({ locale, wavFile }), { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString();
    });
    // Cut off before it read its text: the pipe breaks, which is expected.
    child.stdin?.on('error', () => {});
    const started = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        child.stdin?.end(text);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AppError(
            'UNAVAILABLE',
            error.code === 'ENOENT'
              ? `This kiosk cannot speak: ${this.program} is not installed. Install the espeak-ng package, or set TILLSYNC_SPEECH_ENGINE to its path.`
              : `This kiosk cannot speak: ${error.message}`,
          ),
        ),
      );
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      child.once('close', (code) => resolve({ code, stderr }));
      child.once('error', () => resolve({ code: null, stderr }));
    });
    return { child, started, exited };
  }

  /** To the default audio output (the headphone jack): stopping it kills the engine mid-word. */
  private play(text: string, locale: SpeechLocale): Utterance {
    const { child, started, exited } = this.run(text, locale);
    let stopped = false;
    const ended = exited.then(({ code, stderr }) => {
      if (!stopped && code !== 0 && code !== null) this.log('speech engine failed', { code, stderr: stderr.trim() });
    });
    return {
      started,
      ended,
      stop() {
        stopped = true;
        child.kill();
      },
    };
  }

  /** To a WAV file, "played" for its length in real time so that a new utterance cuts it where a customer would stop hearing it. */
  private capture(dir: string, text: string, locale: SpeechLocale): Utterance {
    const seq = ++this.count;
    const at = new Date().toISOString();
    const wav = `${String(seq).padStart(5, '0')}-${locale}.wav`;
    const file = join(dir, wav);
    const { child, started, exited } = this.run(text, locale, file);
    const cut = new AbortController();
    const cutOff = new Promise<null>((resolve) => cut.signal.addEventListener('abort', () => resolve(null), { once: true }));
    const record = (line: SpokenStart | SpokenEnd) => {
      this.writes = this.writes
        .then(() => appendFile(join(dir, SPOKEN_LOG), `${JSON.stringify(line)}\n`))
        .catch((error: unknown) => this.log('could not write the speech log', { error: String(error) }));
      return this.writes;
    };
    void record({ seq, at, locale, voice: VOICES[locale], text, wav });

    const heard = async (): Promise<[SpokenEnd['outcome'], number, number]> => {
      const exit = await Promise.race([exited, cutOff]);
      if (exit === null) {
        // Cut off while it was still being made: nothing of it was heard.
        child.kill();
        await exited;
        // The engine may not have written a header yet; a file without one holds nothing to cut.
        await cutWav(file, 0).catch(() => {});
        return ['interrupted', 0, 0];
      }
      if (exit.code !== 0) {
        this.log('speech engine failed', { code: exit.code, stderr: exit.stderr.trim() });
        return ['failed', 0, 0];
      }
      const durationMs = await wavDurationMs(file);
      const playing = performance.now();
      const whole = await sleep(durationMs, true, { signal: cut.signal }).catch(() => false);
      if (whole) return ['spoken', durationMs, durationMs];
      const heardMs = Math.min(durationMs, Math.round(performance.now() - playing));
      await cutWav(file, heardMs);
      return ['interrupted', durationMs, heardMs];
    };
    const ended = heard().then(
      ([outcome, durationMs, heardMs]) => record({ seq, outcome, durationMs, heardMs }),
      (error: unknown) => {
        this.log('speech capture failed', { error: String(error) });
        return record({ seq, outcome: 'failed', durationMs: 0, heardMs: 0 });
      },
    );
    return { started, ended, stop: () => cut.abort() };
  }
}
