// Pictures for menu items: uploaded once (by content), read as an image from their bytes whatever
// their name says, stored as WebP at card and full size, served with cache headers that never
// need revalidating, and named by menus only once uploaded.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient, type AdminClient } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
beforeAll(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
});
afterAll(async () => {
  await stack?.close();
});

/** A photo as a camera would send it: a JPEG of `width` × `height`. */
const photo = (width: number, height: number, colour = { r: 200, g: 120, b: 40 }) => sharp({ create: { width, height, channels: 3, background: colour } }).jpeg({ quality: 90 }).toBuffer();

async function upload(bytes: Buffer, fileName: string, { type = 'image/jpeg', token = owner.token }: { type?: string; token?: string } = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const response = await fetch(new URL('/api/pictures', stack.url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as { id?: string; width?: number; height?: number; error?: { code: string; message: string } } };
}

describe('uploading a picture', () => {
  it('keeps it by its content as WebP at card and full size, served for ever from its address', async () => {
    const bytes = await photo(3000, 2000);
    const uploaded = await upload(bytes, 'big-mac.jpg');
    expect(uploaded).toMatchObject({ status: 201, body: { id: createHash('sha256').update(bytes).digest('hex'), fileName: 'big-mac.jpg', width: 1600, height: 1067 } });
    for (const [size, longest] of [['card', 640], ['full', 1600]] as const) {
      const response = await fetch(new URL(`/media/${uploaded.body.id}-${size}.webp`, stack.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const served = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect(served).toMatchObject({ format: 'webp' });
      expect(Math.max(served.width!, served.height!)).toBe(longest);
    }
    // The same photo again is the same picture, stored once.
    expect((await upload(bytes, 'big-mac-again.jpg')).body.id).toBe(uploaded.body.id);
    expect(await stack.db.menuPicture.count({ where: { id: uploaded.body.id! } })).toBe(1);
    expect((await owner.request<{ pictures: Array<{ id: string }> }>('GET', '/api/pictures')).body.pictures.map((p) => p.id)).toContain(uploaded.body.id);
  });

  it('reads the type from the bytes: an SVG, a text file named .png and a truncated photo are refused, and nothing is stored', async () => {
    const before = await stack.db.menuPicture.count();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
    const refusals = [
      await upload(svg, 'logo.svg', { type: 'image/svg+xml' }),
      await upload(svg, 'innocent.png', { type: 'image/png' }),
      await upload(Buffer.from('just some text, not a picture'), 'notes.png', { type: 'image/png' }),
      await upload((await photo(400, 300)).subarray(0, 200), 'cut-off.jpg'),
    ];
    for (const refused of refusals) expect(refused).toMatchObject({ status: 415, body: { error: { code: 'PICTURE_INVALID', message: expect.stringMatching(/Send a JPEG, PNG/) } } });
    expect(refusals[0]!.body.error!.message).toMatch(/SVG drawing is not accepted/);
    expect(await stack.db.menuPicture.count()).toBe(before);
  });

  it('refuses files over 10 MiB, requests without a file, and people who are not owners', async () => {
    // Noise does not compress: a real 11 MiB PNG.
    const noise = await sharp(Buffer.from(Array.from({ length: 2000 * 1900 * 3 }, () => Math.floor(Math.random() * 256))), { raw: { width: 2000, height: 1900, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(await upload(noise, 'huge.png', { type: 'image/png' })).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/at most 10 MiB/) } } });

    const empty = await fetch(new URL('/api/pictures', stack.url), { method: 'POST', headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);

    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    expect(await upload(await photo(100, 100), 'x.jpg', { token: manager.token })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect((await fetch(new URL(`/media/${'0'.repeat(64)}-card.webp`, stack.url))).status).toBe(404);
    expect((await fetch(new URL('/media/../package.json', stack.url))).status).toBe(404);
  });
});

describe('a menu naming pictures', () => {
  it('may name uploaded pictures only, each missing one named by its item', async () => {
    const uploaded = await upload(await photo(800, 600, { r: 30, g: 160, b: 90 }), 'salad.jpg');
    const menu = await loadDemoMenuDocument();
    menu.items[0]!.image = uploaded.body.id!;
    menu.items[1]!.image = 'f'.repeat(64);
    const refused = await owner.request<{ error: { problems: Array<{ path: string; message: string }> } }>('POST', '/api/menus', menu);
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems).toEqual([{ path: 'items[1].image', message: 'Americano · picture: no uploaded picture ffffffffffff…: upload it first' }]);
    menu.items[1]!.image = uploaded.body.id!;
    expect((await owner.request('POST', '/api/menus', menu)).status).toBe(201);
  });
});
