// The admin REST API as a test calls it: real HTTP to the server under test.
import type { ServerDb } from '../../sync-server/db/client';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import type { AdminRole } from '#admin-api';

export interface AdminClient {
  token: string;
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/**
 * The admin app's session, from the answer that started it (a sign-in or an accepted invitation
 * with `cookie: true`): its cookie on every request, its CSRF token on every change.
 */
export function cookieClient(baseUrl: string, started: { headers: Headers; body: unknown }): AdminClient {
  const cookie = started.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken } = started.body as { csrfToken: string };
  return { token: cookie, request: (method, path, body) => call(baseUrl, method, path, body, undefined, { cookie, 'x-csrf-token': csrfToken }) };
}

/** Uploads a picture as head office's app does (multipart, one file); returns its id. */
export async function uploadPicture(baseUrl: string, token: string, bytes: Uint8Array, fileName: string, type = 'image/png'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const response = await fetch(new URL('/api/pictures', baseUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

let admins = 0;

/** Creates an admin (an owner unless told otherwise) and signs them in. */
export async function adminClient(db: ServerDb, baseUrl: string, { role = 'owner' as AdminRole, storeIds = [] as string[], name = 'Test admin' } = {}): Promise<AdminClient> {
  const email = `admin${++admins}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  await createAdmin(db, { email, name, password, role, storeIds });
  const signedIn = await call<{ token: string }>(baseUrl, 'POST', '/api/sessions', { email, password });
  if (signedIn.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(signedIn.body)}`);
  const { token } = signedIn.body;
  return { token, request: (method, path, body) => call(baseUrl, method, path, body, token) };
}
