// Electron's security checklist (electron/docs/tutorial/security.md, 17 points), one test each, on
// the rules the app applies (electron/lockdown.ts) and its sources and packaging, so it runs without
// Electron's binary. tests/e2e/electron.spec.ts checks the running window where the binary exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/rendererFiles';
import { APP_URL, isAppUrl, isTrustedFrame, kioskSwallows, webPreferences, type KeyInput } from '../../../electron/lockdown';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const preferences = webPreferences('/app/preload.cjs', true);

/** Every source file of the Electron app and the screens it shows. */
function sources(dir: string): string[] {
  return readdirSync(join(repo, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(repo, path)).isDirectory()) return sources(path);
    return /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}
const appSources = [...sources('electron'), ...sources('renderer/src')].map((path) => ({ path, text: read(path) }));

describe("Electron's security checklist", () => {
  it('1. loads only secure content: its own pages from a guarded custom protocol, nothing over http', () => {
    expect(APP_URL).toBe('app://terminal/');
    expect(read('electron/main.ts')).toMatch(/loadURL\(APP_URL\)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/http:|\*/);
    expect(appSources.filter((s) => /loadURL\((?!APP_URL)/.test(s.text)).map((s) => s.path)).toEqual([]);
  });

  it('2. gives no renderer Node.js', () => {
    expect(preferences).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('3. isolates every renderer\'s context', () => {
    expect(preferences.contextIsolation).toBe(true);
  });

  it('4. sandboxes every renderer', () => {
    expect(preferences.sandbox).toBe(true);
    expect(read('electron/security.ts')).toMatch(/app\.enableSandbox\(\)/);
  });

  it('5. refuses every permission request and check', () => {
    const security = read('electron/security.ts');
    expect(security).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(security).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
  });

  it('6. keeps webSecurity on', () => {
    expect(preferences.webSecurity).toBe(true);
  });

  it('7. defines a restrictive Content-Security-Policy, sent with every page', () => {
    for (const rule of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(CONTENT_SECURITY_POLICY).toContain(rule);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
    expect(read('electron/appProtocol.ts')).toMatch(/'content-security-policy': CONTENT_SECURITY_POLICY/);
  });

  it('8. never allows running insecure content', () => {
    expect(preferences.allowRunningInsecureContent).toBe(false);
  });

  it('9. enables no experimental features', () => {
    expect(preferences.experimentalFeatures).toBe(false);
  });

  it('10. uses no enableBlinkFeatures', () => {
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(appSources.filter((s) => s.text.includes('enableBlinkFeatures')).map((s) => s.path)).toEqual([]);
  });

  it('11. has no <webview> to allow popups in', () => {
    expect(preferences.webviewTag).toBe(false);
    expect(appSources.filter((s) => /<webview|allowpopups/i.test(s.text)).map((s) => s.path)).toEqual([]);
  });

  it('12. refuses every <webview> before it is created', () => {
    expect(read('electron/security.ts')).toMatch(/'will-attach-webview', \(event\) => event\.preventDefault\(\)/);
  });

  it('13. lets a page navigate only within the app, frames included', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:5173/kiosk', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'not a url']) expect(isAppUrl(url), url).toBe(false);
    expect(isAppUrl('app://terminal/kitchen')).toBe(true);
    const security = read('electron/security.ts');
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) expect(security).toContain(`'${event}'`);
  });

  it('14. opens no new windows', () => {
    expect(read('electron/security.ts')).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
  });

  it('15. never hands content to shell.openExternal', () => {
    expect(appSources.filter((s) => /openExternal|shell\.open/.test(s.text)).map((s) => s.path)).toEqual([]);
  });

  it('16. uses a current version of Electron', () => {
    const installed = JSON.parse(read('node_modules/electron/package.json')) as { version: string };
    const wanted = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    // Electron 45 was the newest major on the registry when this was written; never go back.
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(45);
    expect(wanted).toMatch(/^\^4[5-9]|^\^[5-9]\d/);
  });

  it('17. answers IPC only from its own pages, in a top frame', () => {
    expect(isTrustedFrame({ url: 'app://terminal/kiosk', isTop: true })).toBe(true);
    expect(isTrustedFrame({ url: 'app://terminal/kiosk', isTop: false })).toBe(false);
    expect(isTrustedFrame({ url: 'https://example.com/', isTop: true })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(read('electron/ipc.ts')).toMatch(/isTrustedFrame\(/);
  });
});

describe('the packaged app and the kiosk window', () => {
  it('flips the fuses that let the binary run as Node, take Node options or a debugger, or load code from outside its own archive', () => {
    const config = parse(read('build/electron-builder.yml')) as { electronFuses: Record<string, boolean>; asar?: boolean };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).not.toBe(false);
  });

  it('keeps developer tools out of a packaged app', () => {
    expect(webPreferences('/p', true).devTools).toBe(false);
    expect(webPreferences('/p', false).devTools).toBe(true);
  });

  it('swallows every key a customer could close, quit, reload or inspect the kiosk with', () => {
    const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods });
    const swallowed = [
      key('w', { control: true }),
      key('q', { control: true }),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('F5'),
      key('F11'),
      key('F12'),
      key('I', { control: true, shift: true }),
      key('J', { control: true, shift: true }),
      key('C', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('w', { meta: true }),
      key('q', { meta: true }),
      key('F4', { alt: true }),
    ];
    for (const input of swallowed) expect(kioskSwallows(input), JSON.stringify(input)).toBe(true);
    // Typing stays possible (the search box, a PIN), and key-ups pass.
    for (const input of [key('a'), key('1'), key('Enter'), key('Backspace'), key('c', { control: true }), key('v', { control: true }), { ...key('w', { control: true }), type: 'keyUp' }]) {
      expect(kioskSwallows(input), JSON.stringify(input)).toBe(false);
    }
    expect(read('electron/main.ts')).toMatch(/before-input-event', \(event, input\) => kioskSwallows\(input\) && event\.preventDefault\(\)/);
    expect(read('electron/main.ts')).toMatch(/Menu\.setApplicationMenu\(null\)/);
  });
});
