// The built screens as both hosts serve them: the web host over HTTP, Electron over app://.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

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
