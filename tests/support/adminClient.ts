// The admin REST API as a test calls it: real HTTP to the server under test.
import type { ServerDb } from '../../sync-server/db/client';
import { createAdmin } from '../../sync-server/admin/adminAccounts';

export interface AdminClient {
  token: string;
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function call<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

let admins = 0;

/** Creates an admin (owner unless stores are given) and signs them in. */
export async function adminClient(db: ServerDb, baseUrl: string, { role = 'owner', storeIds = [] as string[] } = {}): Promise<AdminClient> {
  const email = `admin${++admins}-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  await createAdmin(db, { email, name: 'Test admin', password, role: role as 'owner' | 'manager', storeIds });
  const signedIn = await call<{ token: string }>(baseUrl, 'POST', '/api/sessions', { email, password });
  if (signedIn.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(signedIn.body)}`);
  const { token } = signedIn.body;
  return { token, request: (method, path, body) => call(baseUrl, method, path, body, token) };
}
