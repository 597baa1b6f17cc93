// The admin app's session: the same session as a bearer token, kept in a cookie the page's scripts
// cannot read (HttpOnly), that no other site's request carries (SameSite=Strict), and over https
// named `__Host-…` so no sibling subdomain can plant one. Every change a cookie session asks for
// must also carry the session's CSRF token in `X-CSRF-Token`. A WebSocket cannot carry a header of
// the page's: the admin app's socket (`/admin`, live orders) is checked by its Origin instead.
import cookie from '@fastify/cookie';
import { parse as parseCookies } from 'cookie';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../http/httpApp';
import type { TrustedProxies } from '../limits/clientAddress';
import { AppError } from '../protocol/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Over https the `__Host-` prefix: the browser takes it only Secure, for this host, on every path. */
const cookieNameFor = (secure: boolean) => (secure ? '__Host-tillsync_session' : 'tillsync_session');
const cookieName = (request: FastifyRequest) => cookieNameFor(request.protocol === 'https');

export async function registerSessionCookies(app: HttpApp): Promise<void> {
  await app.register(cookie);
}

/** The session token a request carries: its bearer token, else its cookie. */
export function sessionOf(request: FastifyRequest): { authorization: string | undefined; byCookie: boolean; token: string | undefined } {
  const { authorization } = request.headers;
  if (authorization) return { authorization, byCookie: false, token: undefined };
  const token = request.cookies[cookieName(request)];
  return { authorization: token ? `Bearer ${token}` : undefined, byCookie: Boolean(token), token };
}

/** The last of a header's values, as Fastify reads a trusted proxy's X-Forwarded-Proto and -Host. */
const lastValue = (header: string | string[] | undefined) => (Array.isArray(header) ? header.at(-1) : header)?.split(',').at(-1)?.trim() || undefined;

/**
 * What Fastify's `request.protocol` and `request.host` would say of a raw request (a Socket.IO
 * handshake, which never passes through Fastify): through a trusted proxy, what the proxy forwarded.
 */
function originOf(request: IncomingMessage, trust: TrustedProxies): { secure: boolean; host: string | undefined } {
  const { remoteAddress } = request.socket;
  const proxied = remoteAddress !== undefined && trust(remoteAddress, 0);
  const forwarded = (name: string) => (proxied ? lastValue(request.headers[name]) : undefined);
  const protocol = forwarded('x-forwarded-proto') ?? ((request.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http');
  return { secure: protocol === 'https', host: forwarded('x-forwarded-host') ?? request.headers.host };
}

/** The session a Socket.IO handshake carries, read as `sessionOf` reads a request's. */
export function handshakeSessionOf(request: IncomingMessage, trust: TrustedProxies): ReturnType<typeof sessionOf> {
  const { authorization } = request.headers;
  if (authorization) return { authorization, byCookie: false, token: undefined };
  const token = parseCookies(request.headers.cookie ?? '')[cookieNameFor(originOf(request, trust).secure)];
  return { authorization: token ? `Bearer ${token}` : undefined, byCookie: Boolean(token), token };
}

/**
 * Refuses a cookie session's WebSocket opened by a page of another site: a browser names the page's
 * origin in every WebSocket handshake, and sends the cookie whoever opens the socket.
 */
export function checkSameOrigin(request: IncomingMessage, trust: TrustedProxies): void {
  const { origin } = request.headers;
  const host = originOf(request, trust).host;
  const from = URL.canParse(origin ?? '') ? new URL(origin!).host : undefined;
  if (!from || from !== host) throw new AppError('CSRF_INVALID', "This connection was not opened by this server's admin app. Open the admin app at this server's address.");
}

/**
 * The CSRF token of a session: an HMAC keyed by the session's own token, so every server node can
 * check it without a shared secret, and nobody without the session can make one. It is given to
 * the page when it signs in and by GET /api/me.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('tillsync-csrf').digest('base64url');
}

/** Refuses a change asked by a cookie session without its CSRF token: another site's form, say. */
export function checkCsrf(request: FastifyRequest, sessionToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = request.headers['x-csrf-token'];
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('CSRF_INVALID');
}

/**
 * Answers a session just started (a sign-in, an accepted invitation): its bearer token, or for the
 * admin app the token in the cookie and the CSRF token in the body.
 */
export function sendSession(
  request: FastifyRequest,
  reply: FastifyReply,
  started: { token: string; expiresAt: string; user: unknown },
  inCookie: boolean,
): FastifyReply {
  if (!inCookie) return reply.code(201).send(started);
  setSessionCookie(request, reply, started.token, new Date(started.expiresAt));
  return reply.code(201).send({ expiresAt: started.expiresAt, user: started.user, csrfToken: csrfTokenOf(started.token) });
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(cookieName(request), token, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', expires: expiresAt });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(cookieName(request), { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' });
}
