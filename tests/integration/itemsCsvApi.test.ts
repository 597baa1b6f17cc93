// A chain's menu through a spreadsheet over the API: a real-sized draft exported, edited with
// mistakes on many rows, previewed (every problem by row, nothing saved), fixed and applied.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bigMenu } from '../support/bigMenu';
import { adminClient, type AdminClient } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let admin: AdminClient;
beforeAll(async () => {
  stack = await startTestStack();
  admin = await adminClient(stack.db, stack.url);
});
afterAll(async () => {
  await stack.close();
});

const send = (path: string, csv: string, contentType = 'text/csv') =>
  fetch(new URL(path, stack.url), { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${admin.token}` }, body: csv }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { counts: { added: number; changed: number; unchanged: number }; problems: Array<{ row?: number; item?: string; column?: string; message: string }>; revision?: number; error?: { code: string } },
  }));

it('previews a spreadsheet of 300 items in 12 categories with every problem by row, then applies the fixed one', async () => {
  // The big menu names pictures that must exist on this server: without them, they are problems.
  const { menu } = bigMenu(300);
  for (const item of menu.items) delete item.image;
  const draft = await admin.request<{ id: string; revision: number }>('POST', '/api/menu-drafts', { name: 'Chain menu', currency: menu.currency });
  const saved = await admin.request<{ revision: number; problems: unknown[] }>('PUT', `/api/menu-drafts/${draft.body.id}`, { revision: draft.body.revision, document: menu });
  expect(saved.body.problems).toEqual([]);

  const exported = await fetch(new URL(`/api/menu-drafts/${draft.body.id}/items.csv`, stack.url), { headers: { authorization: `Bearer ${admin.token}` } });
  expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="${menu.name}.csv"; filename*=UTF-8''${encodeURIComponent(`${menu.name}.csv`)}`);
  const csv = await exported.text();
  const lines = csv.split('\r\n');
  expect(lines.length).toBeGreaterThan(300);
  // No cell of the file can run as a formula in a spreadsheet.
  expect(csv).not.toMatch(/(^|[,\n])"?[=+@]/);

  // Unchanged, it changes nothing.
  expect((await send(`/api/menu-drafts/${draft.body.id}/items-csv`, csv)).body).toMatchObject({ counts: { added: 0, changed: 0, unchanged: 300 }, problems: [] });

  const header = lines[0]!.replace(/^\uFEFF/, '').split(',');
  const priceAt = header.indexOf('price');
  const categoryAt = header.indexOf('category');
  const rows = lines.map((line) => line);
  const cells = (row: number) => rows[row - 1]!.split(',');
  // Rows whose cells hold no quoted commas, so a test can change them by position.
  const simple = [...Array(rows.length).keys()].map((i) => i + 1).filter((row) => row > 1 && rows[row - 1] && !rows[row - 1]!.includes('"')).slice(0, 3);
  expect(simple).toHaveLength(3);
  const broken = [...rows];
  const set = (row: number, at: number, value: string) => {
    const line = cells(row);
    line[at] = value;
    broken[row - 1] = line.join(',');
  };
  set(simple[0]!, priceAt, '-4.00');
  set(simple[1]!, categoryAt, 'no-such-category');
  set(simple[2]!, priceAt, '€12');
  const preview = await send(`/api/menu-drafts/${draft.body.id}/items-csv`, broken.join('\r\n'));
  expect(preview.status).toBe(200);
  expect(preview.body.problems.map((p) => [p.row, p.column])).toEqual([
    [simple[0], 'price'],
    [simple[1], 'category'],
    [simple[2], 'price'],
  ]);
  expect(preview.body.problems.every((p) => typeof p.item === 'string' && p.item.length > 0)).toBe(true);
  // A preview, and a file with problems even with apply, saves nothing.
  expect((await send(`/api/menu-drafts/${draft.body.id}/items-csv?apply=true&revision=${saved.body.revision}`, broken.join('\r\n'))).body.revision).toBeUndefined();
  expect((await admin.request<{ revision: number }>('GET', `/api/menu-drafts/${draft.body.id}`)).body.revision).toBe(saved.body.revision);

  // Fixed: a new row added, a price changed; applied to the draft.
  const fixed = [...rows];
  const line = cells(simple[0]!);
  line[priceAt] = '99.50';
  fixed[simple[0]! - 1] = line.join(',');
  const added = [...cells(simple[1]!)];
  added[0] = '';
  added[header.indexOf('name:en')] = 'Brand new wrap';
  fixed.splice(fixed.length - 1, 0, added.join(','));
  const applied = await send(`/api/menu-drafts/${draft.body.id}/items-csv?apply=true&revision=${saved.body.revision}`, fixed.join('\r\n'));
  expect(applied.body).toMatchObject({ counts: { added: 1, changed: 1, unchanged: 299 }, problems: [], revision: saved.body.revision + 1 });
  const after = await admin.request<{ document: typeof menu; problems: unknown[] }>('GET', `/api/menu-drafts/${draft.body.id}`);
  expect(after.body.problems).toEqual([]);
  expect(after.body.document.items).toHaveLength(301);
  expect(after.body.document.items.some((item) => item.id === 'brand-new-wrap')).toBe(true);
});

it('refuses what is not a spreadsheet, a stale revision, and strangers', async () => {
  const draft = await admin.request<{ id: string; revision: number }>('POST', '/api/menu-drafts', { name: 'Small', fromVersionId: stack.menuVersionId });
  const path = `/api/menu-drafts/${draft.body.id}/items-csv`;
  expect((await send(path, 'x', 'text/plain')).status).toBe(400);
  expect((await send(path, '\u0000\u0001garbage')).body.problems.length).toBeGreaterThan(0);
  expect((await send(`${path}?apply=maybe`, 'id')).status).toBe(400);
  const exported = await (await fetch(new URL(`/api/menu-drafts/${draft.body.id}/items.csv`, stack.url), { headers: { authorization: `Bearer ${admin.token}` } })).text();
  expect(await send(`${path}?apply=true&revision=${draft.body.revision + 5}`, exported)).toMatchObject({ status: 409, body: { error: { code: 'DRAFT_CHANGED' } } });
  expect((await fetch(new URL(path, stack.url), { method: 'POST', headers: { 'content-type': 'text/csv' }, body: exported })).status).toBe(401);
  const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
  expect((await fetch(new URL(path, stack.url), { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${manager.token}` }, body: exported })).status).toBe(403);
  expect((await send(path, 'a'.repeat(6 * 1024 * 1024))).status).toBe(413);
});
