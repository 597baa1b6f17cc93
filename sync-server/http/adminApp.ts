// Head office's admin app (renderer/admin, built into dist/admin) at /admin: its hashed assets
// cached for ever, its page never, and every path under /admin answered with the page so the
// app's own router can take it (a bookmark of /admin/stores/… opens that store).
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from './httpApp';

export const ADMIN_APP_DIR = fileURLToPath(new URL('../../dist/admin', import.meta.url));

/** What the page may load and talk to: its own origin only, no frames, no plug-ins. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerAdminApp(app: HttpApp, dir = ADMIN_APP_DIR): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    const notBuilt = { error: { code: 'UNAVAILABLE', message: 'The admin app is not built on this server: run `npm run build:renderer`, then start the server again.' } };
    app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.code(503).send(notBuilt));
    app.get('/admin/*', { schema: { hide: true } }, async (_request, reply) => reply.code(503).send(notBuilt));
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/admin/',
    // One route per built file, so the page's fallback below takes every other path.
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      void reply.header('x-content-type-options', 'nosniff');
    },
  });
  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', PAGE_POLICY)
      .header('referrer-policy', 'same-origin')
      .header('x-content-type-options', 'nosniff')
      .sendFile('index.html', dir);
  app.get('/admin', { schema: { hide: true } }, page);
  app.get('/admin/*', { schema: { hide: true } }, page);
}
