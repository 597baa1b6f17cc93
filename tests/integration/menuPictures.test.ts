// A kiosk keeps its own copies of the menu's uploaded pictures: it fetches a new version's pictures
// before it shows that version, serves them to its screens at /media from its own folder (offline
// too), shows a version whose picture cannot be had rather than wait for ever, asks the server a few
// at a time and as slowly as it is told, and lets pictures go once no version it keeps names them.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { KEEP_VERSIONS } from '../../electron/core/menu/menuStore';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { startWebHost, type WebHost } from '../../electron/host/webHost';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createMenuVersion } from '#menus/menuCatalog';
import type { MenuDocument } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient, uploadPicture, type AdminClient } from '../support/adminClient';
import { PictureFront } from '../support/pictureFront';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
let rendererDir: string;
const hosts: WebHost[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
  // The screens' page, so a request that is not for a picture visibly gets the page instead.
  rendererDir = join(stack.dir, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Tillsync</title>');
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stack.close();
});

/** A photo as head office might upload it: a PNG in one colour, different for each `shade`. */
const photo = (shade: number) => sharp({ create: { width: 900, height: 600, channels: 3, background: { r: shade, g: 90, b: 200 - shade } } }).png().toBuffer();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The demo menu, renamed, with `pictures` as items' images (item id → picture id). */
async function menuWith(name: string, pictures: Record<string, string>): Promise<MenuDocument> {
  const menu = await loadDemoMenuDocument();
  menu.name = name;
  for (const [itemId, image] of Object.entries(pictures)) menu.items.find((i) => i.id === itemId)!.image = image;
  return menu;
}

/** Head office creates `menu` (through the API, which checks its pictures, unless `unchecked`) and publishes it to the store. */
async function publish(menu: MenuDocument, { unchecked = false } = {}): Promise<string> {
  const id = unchecked ? (await createMenuVersion(stack.db, menu)).id : (await owner.request<{ id: string }>('POST', '/api/menus', menu)).body.id;
  expect((await owner.request('POST', `/api/menus/${id}/publish`, { storeIds: [stack.storeId] })).status).toBe(200);
  return id;
}

async function shownVersion(core: TerminalCore): Promise<string | undefined> {
  const result = await core.call('getMenu', undefined);
  return result.ok ? (result.data as MenuView | null)?.versionId : undefined;
}

async function kioskWithHost(core: TerminalCore): Promise<WebHost> {
  const host = await startWebHost({ core, rendererDir });
  hosts.push(host);
  return host;
}

/** GET `path` exactly as written: no URL parsing on the way, as a hostile client would send it. */
function get(host: WebHost, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function fromServer(path: string): Promise<Buffer> {
  const response = await fetch(new URL(path, stack.url));
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('a kiosk and its menu pictures', () => {
  it("has a new version's pictures before it shows the version, and serves them from its own copy, offline too", async () => {
    const kiosk = await stack.terminal('kiosk');
    const host = await kioskWithHost(kiosk.core);
    await eventually(async () => (await shownVersion(kiosk.core)) === stack.menuVersionId);

    const picture = await uploadPicture(stack.url, owner.token, await photo(40), 'latte.png');
    const versionId = await publish(await menuWith('Café menu — photographed', { latte: picture }));
    await eventually(async () => (await shownVersion(kiosk.core)) === versionId);
    // The moment the kiosk shows the version, both sizes are on it, byte for byte the server's.
    for (const size of ['card', 'full']) {
      const served = await get(host, `/media/${picture}-${size}.webp`);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(served.headers['content-security-policy']).toContain("img-src 'self'");
      expect(served.body.equals(await fromServer(`/media/${picture}-${size}.webp`))).toBe(true);
    }
    const card = await fromServer(`/media/${picture}-card.webp`);
    expect((await get(host, `/media/${picture}-card.webp`, 'HEAD')).headers['content-length']).toBe(String(card.length));

    // The server goes away: the kiosk still shows the picture, and after a restart too.
    await stack.stopServer();
    expect((await get(host, `/media/${picture}-card.webp`)).body.equals(card)).toBe(true);
    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    await kiosk.close();
    const reopened = await stack.reopen(kiosk);
    const again = await kioskWithHost(reopened.core);
    expect(await shownVersion(reopened.core)).toBe(versionId);
    expect((await get(again, `/media/${picture}-card.webp`)).body.equals(card)).toBe(true);
    await stack.startServer();
  });

  it('shows a version whose picture the server does not have, and fetches the picture when it can', async () => {
    const kiosk = await stack.terminal('kiosk');
    const host = await kioskWithHost(kiosk.core);
    await eventually(async () => (await shownVersion(kiosk.core)) === stack.menuVersionId);

    // A version naming a picture the server does not hold (lost, or not uploaded yet): its file is a 404.
    const bytes = await photo(120);
    const picture = sha256(bytes);
    const versionId = await publish(await menuWith('Café menu — picture to come', { latte: picture }), { unchecked: true });
    expect((await fetch(new URL(`/media/${picture}-card.webp`, stack.url))).status).toBe(404);
    // Switched well within the wait for pictures (a minute): a 404 is an answer, not a reason to wait.
    await eventually(async () => (await shownVersion(kiosk.core)) === versionId, 5000);
    const missing = await get(host, `/media/${picture}-card.webp`);
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store'); // so the screen asks again later

    // Head office uploads it; the kiosk fetches it when it is back in touch with the server.
    expect(await uploadPicture(stack.url, owner.token, bytes, 'latte.png')).toBe(picture);
    await stack.restartServer();
    const served = await eventually(async () => {
      const answer = await get(host, `/media/${picture}-full.webp`);
      return answer.status === 200 && answer;
    });
    expect(served.body.equals(await fromServer(`/media/${picture}-full.webp`))).toBe(true);
  });

  it('answers only the exact picture addresses: anything else under /media is a 404, never a page or a file', async () => {
    const kiosk = await stack.terminal('kiosk');
    const host = await kioskWithHost(kiosk.core);
    const picture = await uploadPicture(stack.url, owner.token, await photo(200), 'espresso.png');
    const versionId = await publish(await menuWith('Café menu — espresso photographed', { espresso: picture }));
    await eventually(async () => (await shownVersion(kiosk.core)) === versionId);
    expect((await get(host, `/media/${picture}-card.webp`)).status).toBe(200);
    expect((await get(host, '/kiosk')).body.toString()).toContain('<title>Tillsync</title>');

    const hostile = [
      '/media/../terminal.db',
      '/media/../../package.json',
      `/media/%2e%2e/${picture}-card.webp`,
      `/media/${picture}-huge.webp`,
      `/media/${picture}-card.png`,
      `/media/${picture.toUpperCase()}-card.webp`,
      `/MEDIA/${picture}-card.webp`,
      `/media%2f${picture}-card.webp`,
      `/media%2F${picture}-card.webp`,
      `/media/x%2f..%2f${picture}-card.webp`,
      `/media/${picture}%2dcard.webp`,
      `/media/${picture}-card.webp/`,
      `/media/${picture}-card.webp%00`,
      `/media/sub/${picture}-card.webp`,
      `/kiosk/../media/${picture}-card.webp`,
      `/media/${picture.slice(0, 63)}-card.webp`,
      `/media/${picture}0-card.webp`,
      `/media/`,
    ];
    for (const path of hostile) {
      const answer = await get(host, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body.toString()).not.toContain('<title>');
    }
    expect((await get(host, `/media/${picture}-card.webp`, 'POST')).status).toBe(405);
    // A picture id the kiosk does not have, in the right form: 404 as well.
    expect((await get(host, `/media/${'a'.repeat(64)}-card.webp`)).status).toBe(404);
  });

  it("keeps a picture while a version it keeps names it, and lets it go once none does", async () => {
    const kiosk = await stack.terminal('kiosk');
    const host = await kioskWithHost(kiosk.core);
    const picture = await uploadPicture(stack.url, owner.token, await photo(10), 'brownie.png');
    const pictured = await publish(await menuWith('Café menu — brownie photographed', { brownie: picture }));
    await eventually(async () => (await shownVersion(kiosk.core)) === pictured);
    const folder = join(stack.dir, 'kiosk-1-pictures');
    expect(existsSync(join(folder, `${picture}-card.webp`))).toBe(true);

    // A newer version without it: a customer may still be ordering from the one with it, so it stays.
    const plain = async (n: number) => publish(await menuWith(`Café menu — plain ${n}`, {}));
    let latest = await plain(1);
    await eventually(async () => (await shownVersion(kiosk.core)) === latest);
    expect((await get(host, `/media/${picture}-card.webp`)).status).toBe(200);

    // Once the kiosk no longer keeps that version, the picture goes.
    for (let n = 2; n <= KEEP_VERSIONS + 1; n++) latest = await plain(n);
    await eventually(async () => (await shownVersion(kiosk.core)) === latest);
    await eventually(async () => !existsSync(join(folder, `${picture}-card.webp`)) && !existsSync(join(folder, `${picture}-full.webp`)));
    expect((await get(host, `/media/${picture}-card.webp`)).status).toBe(404);
  });
});

describe('a kiosk fetching pictures from a server that is slow or busy', () => {
  /** A kiosk that reaches the server through `front`, waiting at most `waitMs` for a version's pictures. */
  async function kioskBehind(front: PictureFront, waitMs: number) {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk behind a proxy' });
    const core = await createTerminalCore({ databaseFile: join(stack.dir, 'behind.db'), serverUrl: await front.listen(), deviceToken: token, menuPictureWaitMs: waitMs });
    cleanups.push(() => core.close(), () => front.close());
    await eventually(async () => (await shownVersion(core)) === stack.menuVersionId);
    return core;
  }

  it('asks four at a time, and shows the version anyway when the server does not answer', async () => {
    const front = new PictureFront(Number(new URL(stack.url).port));
    front.answer = () => 'hold';
    const core = await kioskBehind(front, 2000);
    const items = ['espresso', 'americano', 'latte', 'cappuccino', 'flat-white', 'brownie'];
    const pictures: Record<string, string> = {};
    for (const [n, item] of items.entries()) pictures[item] = await uploadPicture(stack.url, owner.token, await photo(n * 30), `${item}.png`);
    const publishedAt = Date.now();
    const versionId = await publish(await menuWith('Café menu — six photographs', pictures));

    await eventually(async () => (await shownVersion(core)) === versionId);
    const waited = Date.now() - publishedAt;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(15_000); // not the 30 s a held download takes to time out
    // Twelve files wanted, four asked for: the other eight wait for a free place.
    expect(front.mostHeld).toBe(4);
    expect(front.requests).toHaveLength(4);
  });

  it('waits as long as a busy server says before asking again', async () => {
    const front = new PictureFront(Number(new URL(stack.url).port));
    const core = await kioskBehind(front, 20_000);
    // Busy for the first requests (both sizes are asked for at once); told to wait 2 s.
    let busySince: number | null = null;
    front.answer = () => {
      busySince ??= Date.now();
      return Date.now() - busySince < 500 ? { retryAfterSeconds: 2 } : 'pass';
    };
    const picture = await uploadPicture(stack.url, owner.token, await photo(77), 'cookie.png');
    const versionId = await publish(await menuWith('Café menu — cookie photographed', { brownie: picture }));

    await eventually(async () => (await shownVersion(core)) === versionId);
    const first = front.requests[0]!.at;
    const refused = front.requests.filter((r) => r.at - first < 500);
    const askedAgain = front.requests.filter((r) => r.at - first >= 500);
    expect(refused.length + askedAgain.length).toBe(front.requests.length);
    expect(askedAgain.length).toBeGreaterThanOrEqual(2); // both sizes, fetched this time
    for (const later of askedAgain) expect(later.at - first).toBeGreaterThanOrEqual(2000);
    const host = await kioskWithHost(core);
    expect((await get(host, `/media/${picture}-card.webp`)).status).toBe(200);
    expect((await get(host, `/media/${picture}-full.webp`)).status).toBe(200);
  });
});
