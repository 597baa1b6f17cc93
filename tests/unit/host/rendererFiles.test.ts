import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererFile } from '../../../electron/host/rendererFiles';

// A real built-renderer folder with a secret file beside it: nothing outside the renderer may leak.
let dir: string;
let root: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-renderer-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  await writeFile(join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'terminal token');
});

afterEach(() => rm(dir, { recursive: true, force: true }));

describe('rendererFile', () => {
  it('serves a built asset with its content type and size', async () => {
    expect(await rendererFile(root, '/assets/app-1a2b.js')).toEqual({
      path: join(root, 'assets', 'app-1a2b.js'),
      size: 14,
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it.each(['/kiosk', '/kitchen/', '/', '/assets'])('answers the screen route %s with the page', async (path) => {
    expect((await rendererFile(root, path))?.path).toBe(join(root, 'index.html'));
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%E0%A4%A'])('never leaves the renderer for %s', async (path) => {
    const file = await rendererFile(root, path);
    expect(file?.path).toBe(join(root, 'index.html'));
    expect(file?.contentType).toBe('text/html; charset=utf-8');
  });

  it('is null when the renderer is not built', async () => {
    await rm(join(root, 'index.html'));
    expect(await rendererFile(root, '/kiosk')).toBeNull();
  });
});
