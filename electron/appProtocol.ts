// The screens load from app://terminal/, a guarded custom protocol, not file://: the page gets a
// real origin to lock navigation to, and can read nothing outside the built renderer.
import { net, protocol } from 'electron';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY, rendererFile } from './host/rendererFiles';
import { APP_SCHEME, isAppUrl } from './lockdown';

// Must run before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    if (!isAppUrl(request.url)) return new Response('Not found', { status: 404 });
    const file = await rendererFile(root, new URL(request.url).pathname);
    if (!file) return new Response('The screens are not built.', { status: 503 });
    const response = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(response.body, {
      status: response.status,
      headers: { 'content-type': file.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
}
