// Pictures head office uploads for its menus. Each is kept by the SHA-256 of the file as uploaded
// (the same photo uploaded twice is one picture), as two WebP sizes: a card for the menu grid and
// a full size for the item's page. The file's type is read from its bytes, never from its name;
// SVG is refused (it can carry scripts), and so is anything sharp cannot read as a raster image.
import { createHash } from 'node:crypto';
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import { ImageId, type MenuDocument } from '../protocol/menu';
import { labelProblems, type PathLabel } from '../protocol/parse';

/** Formats a kitchen's or a photographer's camera and a designer's tools write. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff']);
/** 40 megapixels: any real photo; a "decompression bomb" of a small file with a huge canvas is refused. */
const MAX_INPUT_PIXELS = 40_000_000;
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;
export const PICTURE_SIZES = {
  /** The menu grid's card. */
  card: { box: 640, quality: 78 },
  /** The item's own page. */
  full: { box: 1600, quality: 82 },
} as const;
export type PictureSize = keyof typeof PICTURE_SIZES;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** libvips is loaded on the first upload, not at start: most server processes never convert a picture. */
const loadSharp = async () => (await import('sharp')).default;

async function toWebp(bytes: Buffer, size: PictureSize) {
  const { box, quality } = PICTURE_SIZES[size];
  const sharp = await loadSharp();
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate() // as the camera held it (EXIF orientation), before the metadata is dropped
    .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
    .webp({ quality })
    .toBuffer({ resolveWithObject: true });
}

export interface Picture {
  id: string;
  fileName: string;
  width: number;
  height: number;
  createdAt: Date;
}

/** Stores an uploaded file as a picture (once per content), or refuses it with PICTURE_INVALID. */
export async function storePicture(db: ServerDb, bytes: Buffer, fileName: string, uploadedBy: string): Promise<Picture> {
  const id = sha256(bytes);
  const known = await db.menuPicture.findUnique({ where: { id }, select: { id: true, fileName: true, width: true, height: true, createdAt: true } });
  if (known) return known;
  let format: string | undefined;
  try {
    const sharp = await loadSharp();
    ({ format } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata());
  } catch {
    throw new AppError('PICTURE_INVALID', 'This file is not a picture we can read. Send a JPEG, PNG, WebP or AVIF photo.', 'file');
  }
  if (!format || !RASTER_FORMATS.has(format)) {
    throw new AppError('PICTURE_INVALID', `A ${format === 'svg' ? 'SVG drawing' : `${format ?? 'file of this kind'}`} is not accepted. Send a JPEG, PNG, WebP or AVIF photo.`, 'file');
  }
  let card: Awaited<ReturnType<typeof toWebp>>;
  let full: Awaited<ReturnType<typeof toWebp>>;
  try {
    [card, full] = await Promise.all([toWebp(bytes, 'card'), toWebp(bytes, 'full')]);
  } catch (error) {
    const tooLarge = /pixel limit/i.test(String(error));
    throw new AppError('PICTURE_INVALID', tooLarge ? 'This picture has more than 40 megapixels. Send a smaller one.' : 'This picture could not be read. Save it again as a JPEG or PNG and send that.', 'file');
  }
  const created = await db.menuPicture.upsert({
    where: { id },
    create: { id, fileName, card: card.data, full: full.data, width: full.info.width, height: full.info.height, uploadedBytes: bytes.length, uploadedBy },
    update: {},
    select: { id: true, fileName: true, width: true, height: true, createdAt: true },
  });
  return created;
}

/** One size of a picture as WebP bytes, or null when there is no such picture. */
export async function pictureBytes(db: ServerDb, id: string, size: PictureSize): Promise<Buffer | null> {
  const row = await db.menuPicture.findUnique({ where: { id }, select: size === 'card' ? { card: true } : { full: true } });
  if (!row) return null;
  return Buffer.from((row as { card?: Uint8Array; full?: Uint8Array })[size]!);
}

/** Pictures, newest first, for the menu editor's picker. */
export async function listPictures(db: ServerDb): Promise<Picture[]> {
  return db.menuPicture.findMany({ select: { id: true, fileName: true, width: true, height: true, createdAt: true }, orderBy: { createdAt: 'desc' }, take: 5000 });
}

/**
 * Refuses a menu naming uploaded pictures that were never uploaded, each one a problem at its
 * place (labelled as the editor knows it). Bundled pictures are the terminals' own.
 */
export async function checkMenuPictures(db: ServerDb, menu: MenuDocument, label: PathLabel): Promise<void> {
  const named = [
    ...menu.categories.map((c, i) => ({ image: c.image, path: ['categories', i, 'image'] })),
    ...menu.items.map((item, i) => ({ image: item.image, path: ['items', i, 'image'] })),
  ].filter((entry): entry is { image: string; path: Array<string | number> } => entry.image !== undefined && ImageId.safeParse(entry.image).success);
  if (named.length === 0) return;
  const found = await db.menuPicture.findMany({ where: { id: { in: [...new Set(named.map((n) => n.image))] } }, select: { id: true } });
  const known = new Set(found.map((p) => p.id));
  const problems = named.filter((n) => !known.has(n.image)).map((n) => ({ path: n.path, message: `no uploaded picture ${n.image.slice(0, 12)}…: upload it first` }));
  if (problems.length > 0) throw labelProblems(problems, label);
}
