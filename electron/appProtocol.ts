// The screens load from app://terminal/, a guarded custom protocol, not file://: the page gets a
// real origin to lock navigation to, and can read nothing outside the built renderer.
import { net, protocol } from 'electron';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PictureShelf } from './core/menu/pictureShelf';
import { CONTENT_SECURITY_POLICY, IMMUTABLE, isPictureRequest, menuPictureFile, rendererFile } from './host/rendererFiles';
import { APP_SCHEME, isAppUrl } from './lockdown';

// Must run before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves the built screens, and the kiosk's menu pictures from `pictures` (the core's, once it runs). */
export function serveRenderer(rendererDir: string, pictures: () => PictureShelf | null): void {
  const root = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    if (!isAppUrl(request.url)) return new Response('Not found', { status: 404 });
    const path = new URL(request.url).pathname;
    if (isPictureRequest(path, path)) {
      // A picture this kiosk lacks is a 404, not stored, so the screen asks again later.
      const picture = await menuPictureFile(pictures(), path);
      if (!picture) return new Response('No such picture', { status: 404, headers: { 'cache-control': 'no-store' } });
      const response = await net.fetch(pathToFileURL(picture.path).toString());
      return new Response(response.body, { status: response.status, headers: { 'content-type': picture.contentType, 'cache-control': IMMUTABLE } });
    }
    const file = await rendererFile(root, path);
    if (!file) return new Response('The screens are not built.', { status: 503 });
    const response = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(response.body, {
      status: response.status,
      headers: { 'content-type': file.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
}
