// The HTTP API describes itself (an OpenAPI 3.1 document generated from the schemas the routes
// validate with, and interactive docs), and every request can be traced by its id in the log.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectServerDatabase } from '../../sync-server/db/client';
import { jsonLogger } from '../../sync-server/log';
import { createServer, type SyncServer } from '../../sync-server/server';
import { createTestDatabase } from '../support/testDatabase';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: ReturnType<typeof connectServerDatabase>;
let server: SyncServer;
let url: string;
const logLines: string[] = [];
const logged = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  database = await createTestDatabase();
  connection = connectServerDatabase(database.url);
  server = await createServer({ ...connection, log: jsonLogger({ write: (line: string) => void logLines.push(line) }), metricsToken: 'a-metrics-token-of-enough-length' });
  ({ url } = await server.listen(0));
});
afterAll(async () => {
  await server?.close();
  await connection?.close();
  await database?.drop();
});

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, unknown>; security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown> };
}

/** Every operation the server answers; the document must describe each of them, and no other. */
const OPERATIONS = [
  'get /health',
  'get /metrics',
  'post /api/sessions',
  'delete /api/sessions',
  'get /api/me',
  'delete /api/me/sessions',
  'post /api/me/password',
  'get /api/admins',
  'post /api/admins',
  'patch /api/admins/{adminId}',
  'post /api/invites',
  'get /api/invites',
  'delete /api/invites/{inviteId}',
  'post /api/invites/check',
  'post /api/invites/accept',
  'get /api/audit',
  'get /api/stores',
  'post /api/stores',
  'patch /api/stores/{storeId}',
  'get /api/stores/{storeId}/availability',
  'get /api/stores/{storeId}/devices',
  'post /api/stores/{storeId}/pairing-codes',
  'post /api/pairing',
  'post /api/devices/{deviceId}/revoke',
  'patch /api/devices/{deviceId}',
  'post /api/pictures',
  'get /api/pictures',
  'get /media/{file}',
  'get /api/menus',
  'post /api/menus',
  'get /api/menus/{menuVersionId}',
  'delete /api/menus/{menuVersionId}',
  'post /api/menus/{menuVersionId}/publish',
  'get /api/menu-drafts',
  'post /api/menu-drafts',
  'get /api/menu-drafts/{draftId}',
  'put /api/menu-drafts/{draftId}',
  'delete /api/menu-drafts/{draftId}',
  'get /api/menu-drafts/{draftId}/diff',
  'post /api/menu-drafts/{draftId}/publish',
  'post /api/menu-drafts/{draftId}/items-csv',
  'get /api/menu-drafts/{draftId}/items.csv',
  'get /api/scheduled-publications',
  'delete /api/scheduled-publications/{scheduledId}',
  'post /api/stores/{storeId}/menu/rollback',
  'put /api/stores/{storeId}/items/{itemId}/availability',
  'get /api/stores/{storeId}/orders',
  'get /api/stores/{storeId}/outages',
  'get /api/live-orders',
  'get /api/reports/sales-by-day',
  'get /api/reports/sales-by-day.csv',
  'get /api/reports/sales-by-hour',
  'get /api/reports/sales-by-hour.csv',
  'get /api/reports/item-mix',
  'get /api/reports/item-mix.csv',
  'get /api/reports/ticket-times',
  'get /api/reports/ticket-times.csv',
  'get /api/reports/order-mix',
  'get /api/reports/order-mix.csv',
  'get /receipt/{deviceId}/{orderId}',
];

it('publishes an OpenAPI 3.1 document of every operation, generated from the schemas the routes validate with', async () => {
  const response = await fetch(`${url}/api/openapi.json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as OpenApiDocument;
  expect(document.openapi).toBe('3.1.0');
  const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).filter((m) => m !== 'head').map((method) => `${method} ${path}`));
  expect(described.sort()).toEqual([...OPERATIONS].sort());

  // Bodies carry their real schemas: a menu document's items and their prices, a sign-in's fields.
  const signIn = document.paths['/api/sessions']!.post!;
  expect(signIn.requestBody!.content['application/json']!.schema).toMatchObject({ type: 'object', required: ['email', 'password'], additionalProperties: false });
  const menu = JSON.stringify(document.paths['/api/menus']!.post!.requestBody!.content['application/json']!.schema);
  for (const field of ['categories', 'items', 'modifierGroups', 'priceCents']) expect(menu).toContain(`"${field}"`);
  // Every refusal has the one error shape, with every code listed.
  expect(JSON.stringify(signIn.responses['4XX'] ?? signIn.responses['4xx'])).toContain('RATE_LIMITED');
  // Routes that need a session say so; the terminal's one REST call does not.
  expect(document.paths['/api/stores']!.get!.security).toEqual([{ session: [] }]);
  expect(document.paths['/api/pairing']!.post!.security).toBeUndefined();
  expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['metrics', 'session']);
});

it('serves interactive docs at /api/docs', async () => {
  const page = await fetch(`${url}/api/docs`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toMatch(/swagger-ui/i);
});

it('gives every answer a request id, and writes it on the log lines of that request', async () => {
  const response = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'chosen-by-the-client', authorization: 'Bearer tsa_secret-session-token-0123456789' },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'a password to keep out of logs' }),
  });
  expect(response.status).toBe(401);
  const id = response.headers.get('x-request-id')!;
  // The server's own id: a client cannot make its requests look like someone else's in the log.
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  await expect.poll(() => logged().filter((entry) => entry.reqId === id).map((entry) => entry.message)).toEqual(['incoming request', 'request completed']);
  const completed = logged().find((entry) => entry.reqId === id && entry.message === 'request completed')!;
  expect(completed).toMatchObject({ res: { statusCode: 401 }, responseTime: expect.any(Number) });
  const everything = logLines.join('\n');
  expect(everything).not.toContain('a password to keep out of logs');
  expect(everything).not.toContain('secret-session-token');
});

it('answers every refusal in the one error shape, whoever refuses', async () => {
  const post = (path: string, body: string, type = 'application/json') => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  const cases: Array<[Response, number, string]> = [
    [await post('/api/sessions', 'email=a&password=b', 'application/x-www-form-urlencoded'), 400, 'INVALID_PAYLOAD'],
    [await post('/api/sessions', 'hello', 'text/plain'), 400, 'INVALID_PAYLOAD'],
    [await post('/api/sessions', '{"email": '), 400, 'INVALID_PAYLOAD'],
    [await post('/api/sessions', '{"__proto__": {"admin": true}, "email": "a", "password": "b"}'), 400, 'INVALID_PAYLOAD'],
    [await post('/api/sessions', JSON.stringify({ email: 'a', password: 'x'.repeat(70_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    [await fetch(`${url}/api/stores`, { method: 'OPTIONS' }), 405, 'UNKNOWN_OPERATION'],
    [await fetch(`${url}/api/nothing-here`), 404, 'UNKNOWN_OPERATION'],
  ];
  for (const [response, status, code] of cases) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  }
});
