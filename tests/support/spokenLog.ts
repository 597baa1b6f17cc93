// Reading what a kiosk said, from its speech capture folder (TILLSYNC_SPEECH_CAPTURE_DIR):
// spoken.jsonl and the WAV file of each utterance.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SPOKEN_LOG, type SpokenEnd, type SpokenLine, type SpokenStart } from '../../electron/core/speech/speaker';

/** Every utterance asked for, oldest first: over (with how it ended) or still being said. */
export async function readSpoken(captureDir: string): Promise<SpokenLine[]> {
  const text = await readFile(join(captureDir, SPOKEN_LOG), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const bySeq = new Map<number, SpokenLine>();
  for (const line of text.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as SpokenStart | SpokenEnd;
    bySeq.set(entry.seq, { outcome: 'speaking', ...bySeq.get(entry.seq), ...entry } as SpokenLine);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export type SpokenOver = SpokenStart & Omit<SpokenEnd, 'seq'>;

/** Every utterance, once all of them are over; null while one is still being said. */
export async function readSpokenWhenQuiet(captureDir: string): Promise<SpokenOver[] | null> {
  const lines = await readSpoken(captureDir);
  return lines.every((line) => line.outcome !== 'speaking') ? (lines as SpokenOver[]) : null;
}

/** The loudness of a 16-bit PCM WAV file's sound (root mean square, 0–32767): near 0 is silence. */
export async function wavLoudness(file: string): Promise<number> {
  const wav = await readFile(file);
  const data = wav.indexOf('data', 12, 'latin1');
  let sum = 0;
  let samples = 0;
  for (let at = data + 8; at + 1 < wav.length; at += 2, samples++) sum += wav.readInt16LE(at) ** 2;
  return samples ? Math.sqrt(sum / samples) : 0;
}
