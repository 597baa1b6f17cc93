// The few facts the speech capture needs from a PCM WAV file (as espeak-ng -w writes it): how long
// it plays, and cutting it where the customer would have stopped hearing it.
import { open } from 'node:fs/promises';

export interface WavLayout {
  /** Bytes of sound per second (sample rate × channels × bytes per sample). */
  byteRate: number;
  /** Bytes per sample frame: a cut must not split one. */
  blockAlign: number;
  /** Where the sound starts, and how many bytes of it there are. */
  dataOffset: number;
  dataBytes: number;
}

/** Reads the RIFF chunks of `header` (the file's start); null if it is not a PCM WAV file. */
export function wavLayout(header: Buffer): WavLayout | null {
  if (header.length < 12 || header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WAVE') return null;
  let byteRate = 0;
  let blockAlign = 0;
  for (let at = 12; at + 8 <= header.length; ) {
    const id = header.toString('latin1', at, at + 4);
    const size = header.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= header.length) {
      byteRate = header.readUInt32LE(at + 16);
      blockAlign = header.readUInt16LE(at + 20);
    }
    if (id === 'data') return byteRate > 0 && blockAlign > 0 ? { byteRate, blockAlign, dataOffset: at + 8, dataBytes: size } : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

const HEADER_BYTES = 256;

async function layoutOf(file: string): Promise<{ layout: WavLayout; size: number } | null> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    const layout = wavLayout(header.subarray(0, bytesRead));
    return layout && { layout, size: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}

/** How long the file plays, in milliseconds; 0 for a file that is not a PCM WAV. */
export async function wavDurationMs(file: string): Promise<number> {
  const found = await layoutOf(file);
  if (!found) return 0;
  const bytes = Math.min(found.layout.dataBytes, found.size - found.layout.dataOffset);
  return Math.round((bytes / found.layout.byteRate) * 1000);
}

/** Shortens the file to its first `ms` milliseconds, fixing the sizes its header states. */
export async function cutWav(file: string, ms: number): Promise<void> {
  const found = await layoutOf(file);
  if (!found) return;
  const { byteRate, blockAlign, dataOffset, dataBytes } = found.layout;
  const kept = Math.min(dataBytes, Math.floor((byteRate * Math.max(0, ms)) / 1000 / blockAlign) * blockAlign);
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(dataOffset + kept);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(kept);
    await handle.write(size, 0, 4, dataOffset - 4);
    size.writeUInt32LE(dataOffset + kept - 8);
    await handle.write(size, 0, 4, 4);
  } finally {
    await handle.close();
  }
}
