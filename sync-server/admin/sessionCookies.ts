// The admin app's session: the same session as a bearer token, kept in a cookie the page's scripts
// cannot read (HttpOnly), that no other site's request carries (SameSite=Strict), and over https
// named `__Host-…` so no sibling subdomain can plant one. Every change a cookie session asks for
// must also carry the session's CSRF token in `X-CSRF-Token`.
import cookie from '@fastify/cookie';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../http/httpApp';
import { AppError } from '../protocol/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Over https the `__Host-` prefix: the browser takes it only Secure, for this host, on every path. */
const cookieName = (request: FastifyRequest) => (request.protocol === 'https' ? '__Host-tillsync_session' : 'tillsync_session');

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
