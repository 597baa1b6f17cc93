// The built screens as both hosts serve them: the web host over HTTP, Electron over app://.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isMediaPath, pictureAt, type PictureShelf } from '../core/menu/pictureShelf';

/** The screens may load only their own files and talk only to their own terminal. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** For files whose name changes whenever their content does: built assets, menu pictures. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface RendererFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * The file of the built renderer (`root`) a URL path asks for. Screens are client-side routes
 * (/kiosk, /kitchen, /board), and anything outside the renderer or not decodable is refused: all get
 * index.html.
 * Null when the renderer is not built.
 */
export async function rendererFile(root: string, urlPath: string): Promise<RendererFile | null> {
  const index = join(root, 'index.html');
  const candidate = resolve(root, `.${normalize(decoded(urlPath))}`);
  for (const path of candidate.startsWith(root + sep) ? [candidate, index] : [index]) {
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) return { path, size: info.size, contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
  }
  return null;
}

/** A malformed escape (%E0%A4%A) names no file; it becomes the root rather than an error. */
function decoded(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return '/';
  }
}

/**
 * A request under /media, as sent (`sentPath`), decoded, or once resolved (`path`): such a request
 * is for a menu picture and gets one or a 404, never the page.
 */
export const isPictureRequest = (sentPath: string, path: string) => [sentPath, decoded(sentPath), path].some(isMediaPath);

/**
 * The kiosk's copy of the menu picture at `sentPath`, the path exactly as the screen sent it, or
 * null (a 404: the screen shows the item's placeholder). Only `/media/<id>-card.webp` and
 * `-full.webp` name a picture; any other spelling names nothing.
 */
export async function menuPictureFile(shelf: PictureShelf | null, sentPath: string): Promise<RendererFile | null> {
  const picture = pictureAt(sentPath);
  const file = picture && shelf ? await shelf.find(picture) : null;
  return file ? { ...file, contentType: 'image/webp' } : null;
}
