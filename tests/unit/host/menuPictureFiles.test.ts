// The kiosk's shelf of menu pictures as both hosts use it (the web host, and Electron's app://
// protocol, which cannot run here without Electron's binary): only the exact picture addresses name
// a file, only whole WebP files are kept, and a busy server's Retry-After is read as it is written.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../electron/core/menu/menuPictures';
import { isWebp, MAX_PICTURE_FILE_BYTES, PictureShelf } from '../../../electron/core/menu/pictureShelf';
import { isPictureRequest, menuPictureFile } from '../../../electron/host/rendererFiles';

const id = 'c0ffee'.padEnd(64, '0');
let dir: string;
let shelf: PictureShelf;
let webp: Buffer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-shelf-'));
  shelf = new PictureShelf(join(dir, 'pictures'));
  await shelf.open();
  webp = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 150, g: 96, b: 52 } } }).webp().toBuffer();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the picture at a request path', () => {
  it('is served as WebP for the exact address, once the kiosk has it', async () => {
    expect(await menuPictureFile(shelf, `/media/${id}-card.webp`)).toBeNull();
    await shelf.put({ id, size: 'card' }, webp);
    expect(await menuPictureFile(shelf, `/media/${id}-card.webp`)).toEqual({ path: join(shelf.dir, `${id}-card.webp`), size: webp.length, contentType: 'image/webp' });
    expect(await menuPictureFile(shelf, `/media/${id}-full.webp`)).toBeNull();
    expect(await menuPictureFile(null, `/media/${id}-card.webp`)).toBeNull(); // before the core runs
  });

  it.each([
    `/media/${id.toUpperCase()}-card.webp`,
    `/media/${id}-CARD.webp`,
    `/media/${id}-huge.webp`,
    `/media/${id}-card.webp/`,
    `/media/${id}-card.webp.tmp`,
    `/media//${id}-card.webp`,
    `/media/%2e%2e/${id}-card.webp`,
    `/media%2f${id}-card.webp`,
    `/MEDIA/${id}-card.webp`,
  ])('names nothing for %s, and is still a picture request (a 404, not the page)', async (path) => {
    await shelf.put({ id, size: 'card' }, webp);
    expect(await menuPictureFile(shelf, path)).toBeNull();
    expect(isPictureRequest(path, path)).toBe(true);
  });

  it('tells picture requests from the pages and assets of the screens', () => {
    expect(isPictureRequest('/kiosk', '/kiosk')).toBe(false);
    expect(isPictureRequest('/assets/index-1a2b.js', '/assets/index-1a2b.js')).toBe(false);
    expect(isPictureRequest('/menu/latte.svg', '/menu/latte.svg')).toBe(false); // bundled pictures are the screens' own files
    expect(isPictureRequest('/kiosk/../media/x', '/media/x')).toBe(true);
  });
});

describe('keeping a downloaded picture', () => {
  it('keeps only a whole WebP of bounded size, and leaves nothing half-written', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    expect(isWebp(webp)).toBe(true);
    expect(isWebp(webp.subarray(0, webp.length - 1))).toBe(false); // cut short: the RIFF length says more
    expect(isWebp(png)).toBe(false);
    expect(isWebp(Buffer.concat([webp.subarray(0, 8), Buffer.from('WEBQ'), webp.subarray(12)]))).toBe(false);
    const huge = Buffer.alloc(MAX_PICTURE_FILE_BYTES + 2);
    huge.write('RIFF', 0);
    huge.writeUInt32LE(huge.length - 8, 4);
    huge.write('WEBP', 8);
    expect(isWebp(huge)).toBe(false);

    await expect(shelf.put({ id, size: 'full' }, png)).rejects.toThrow(/not a whole WebP/);
    expect(await readdir(shelf.dir)).toEqual([]);
  });

  it('clears leftovers of a crash when it opens, and prunes only pictures nothing keeps', async () => {
    const other = 'bead'.padEnd(64, '1');
    await shelf.put({ id, size: 'card' }, webp);
    await shelf.put({ id: other, size: 'card' }, webp);
    await shelf.put({ id: other, size: 'full' }, webp);
    await writeFile(join(shelf.dir, `${id}-full.webp.0b1c.tmp`), webp.subarray(0, 10));
    await writeFile(join(shelf.dir, 'notes.txt'), 'not ours to remove');
    await shelf.open();
    expect((await readdir(shelf.dir)).sort()).toEqual([`${other}-card.webp`, `${other}-full.webp`, `${id}-card.webp`, 'notes.txt'].sort());

    expect(await shelf.prune(new Set([id]), new Set())).toBe(2);
    expect((await readdir(shelf.dir)).sort()).toEqual([`${id}-card.webp`, 'notes.txt']);
    expect(await shelf.prune(new Set(), new Set([id]))).toBe(0); // being downloaded right now
  });
});

describe("a server's Retry-After", () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it.each([
    ['120', 120_000],
    [' 2 ', 2000],
    ['0', 0],
    ['Wed, 02 Dec 2026 10:00:30 GMT', 30_000],
    ['Wed, 02 Dec 2026 09:00:00 GMT', 0], // already past
    ['999999', 3_600_000], // at most an hour
    ['soon', null],
    ['-5', null],
    [null, null],
  ])('%s → %s ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
