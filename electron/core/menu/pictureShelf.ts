// The kiosk's own copies of head office's menu pictures, one WebP file per picture and size in a
// folder beside the terminal's SQLite file, so an offline kiosk still shows every picture. A file
// is named by the picture's id (the SHA-256 of the photo head office uploaded), and pictures never
// change, so a file once written is kept as it is until no menu version names it any more.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export type PictureSize = 'card' | 'full';
export const PICTURE_SIZES: readonly PictureSize[] = ['card', 'full'];

/** One size of one picture. */
export interface PictureFile {
  id: string;
  size: PictureSize;
}

/**
 * The server's WebP files are at most 1600 × 1600 and well under 2 MiB even for pure noise; a
 * larger answer is not one of them.
 */
export const MAX_PICTURE_FILE_BYTES = 5 * 1024 * 1024;

const FILE_NAME = /^([0-9a-f]{64})-(card|full)\.webp$/;
const TEMPORARY = /\.tmp$/;

/**
 * The one address a screen asks a picture at, `pictureUrl` of the menu protocol: nothing looser.
 * A path that differs in any way (case, an escape, a dot segment, another size) names no picture.
 */
const MediaPathSchema = z
  .string()
  .regex(/^\/media\/[0-9a-f]{64}-(card|full)\.webp$/)
  .transform((path) => {
    const [, id, size] = FILE_NAME.exec(path.slice('/media/'.length))!;
    return { id: id!, size: size as PictureSize };
  });

/** Whether a request is for /media at all: such a request gets a picture or a 404, never a page. */
export const isMediaPath = (path: string) => path.toLowerCase().startsWith('/media/');

/** The picture a screen asks for at `path` (the URL's path as sent), or null. */
export function pictureAt(path: string): PictureFile | null {
  const parsed = MediaPathSchema.safeParse(path);
  return parsed.success ? parsed.data : null;
}

export const fileNameOf = ({ id, size }: PictureFile) => `${id}-${size}.webp`;

/**
 * Whether `bytes` are a whole WebP file: a RIFF container of type WEBP whose length field matches
 * the bytes (a download cut short does not). The id names the photo as uploaded, not this WebP,
 * so the bytes cannot be checked against it.
 */
export function isWebp(bytes: Uint8Array): boolean {
  if (bytes.length < 20 || bytes.length > MAX_PICTURE_FILE_BYTES) return false;
  const ascii = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  const riffLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  return ascii(0) === 'RIFF' && ascii(8) === 'WEBP' && riffLength === bytes.length - 8;
}

export interface ShelvedPicture {
  path: string;
  size: number;
}

export class PictureShelf {
  /**
   * The files on the shelf, by name: read from the folder once, then kept as files come and go,
   * so that deciding what a 1,000-picture menu lacks costs no disk access.
   */
  private readonly shelved = new Set<string>();

  constructor(readonly dir: string) {}

  /** Makes the folder, and clears what a download cut off by a crash left behind. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.dir)) {
      if (TEMPORARY.test(name)) await rm(join(this.dir, name), { force: true });
      else if (FILE_NAME.test(name)) this.shelved.add(name);
    }
  }

  /** Whether this kiosk has the picture. */
  has(picture: PictureFile): boolean {
    return this.shelved.has(fileNameOf(picture));
  }

  /** The file of a picture, or null when this kiosk does not have it. */
  async find(picture: PictureFile): Promise<ShelvedPicture | null> {
    const path = join(this.dir, fileNameOf(picture));
    const info = await stat(path).catch(() => null);
    return info?.isFile() ? { path, size: info.size } : null;
  }

  /**
   * Keeps a downloaded picture. Written to a temporary file, flushed, then renamed: a crash leaves
   * either the whole picture or none, never half of one that would be served for ever.
   */
  async put(picture: PictureFile, bytes: Uint8Array): Promise<void> {
    if (!isWebp(bytes)) throw new Error(`${fileNameOf(picture)} is not a whole WebP file`);
    const path = join(this.dir, fileNameOf(picture));
    const temporary = `${path}.${randomUUID()}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    this.shelved.add(fileNameOf(picture));
  }

  /**
   * Removes the pictures whose id is not in `keep` nor being downloaded (`busy`); files it did not
   * write are left alone. Returns how many files went.
   */
  async prune(keep: ReadonlySet<string>, busy: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      const id = FILE_NAME.exec(name)?.[1];
      if (!id || keep.has(id) || busy.has(id)) continue;
      this.shelved.delete(name);
      await rm(join(this.dir, name), { force: true });
      removed += 1;
    }
    return removed;
  }
}
