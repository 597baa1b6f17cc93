// Electron's main process, kept thin: lockdown, one window, IPC wired to the terminal core.
import './security';
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { serveRenderer } from './appProtocol';
import { readTerminalConfig } from './core/terminalConfig';
import { createTerminalCore, type TerminalCore } from './core/terminalCore';
import { registerIpc } from './ipc';
import { keychain } from './keychain';
import { APP_URL, kioskSwallows, webPreferences } from './lockdown';

/** kiosk: locked full screen (customers); fullscreen: kitchen and wall screens; window: development and the demo. */
const WindowModeSchema = z.enum(['kiosk', 'fullscreen', 'window']).default('kiosk');
const here = fileURLToPath(new URL('.', import.meta.url));
const config = readTerminalConfig(process.env, join(app.getPath('appData'), 'Tillsync', 'terminal'));
// Chromium's profile lives with the terminal's data, so one machine can run several terminals
// (the demo does) and the single-instance lock below is per terminal, not per app.
app.setPath('userData', join(config.dataDir, 'electron'));
let core: TerminalCore | null = null;
/** Set when staff gave their PIN, or the app quits: only then may a kiosk window close. */
let leaving = false;

async function start(): Promise<void> {
  const mode = WindowModeSchema.parse(process.env.TILLSYNC_WINDOW);
  const kiosk = mode === 'kiosk';
  // No menu bar, and none of its accelerators (reload, close, devtools) on any terminal screen.
  Menu.setApplicationMenu(null);
  // Packaged, the migrations ship as resources; from the repository they are in prisma/.
  const migrationsDir = app.isPackaged ? join(process.resourcesPath, 'migrations', 'terminal') : join(app.getAppPath(), 'prisma', 'migrations', 'terminal');
  serveRenderer(join(app.getAppPath(), 'dist', 'renderer'), () => core?.pictures ?? null);
  const secrets = keychain();
  core = await createTerminalCore({
    ...config,
    migrationsDir,
    ...(secrets ? { secrets } : {}),
    ...(kiosk ? { onStaffExit: () => ((leaving = true), app.quit()) } : {}),
    log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
  });
  registerIpc(core);

  const window = new BrowserWindow({
    width: 1366,
    height: 900,
    show: false,
    kiosk,
    fullscreen: mode === 'fullscreen',
    autoHideMenuBar: true,
    backgroundColor: '#f4efe7',
    title: 'Tillsync',
    webPreferences: webPreferences(join(here, 'preload.cjs'), app.isPackaged),
  });
  if (kiosk) {
    // A customer cannot close, reload or leave the kiosk: not by keys, not by the window's close.
    window.webContents.on('before-input-event', (event, input) => kioskSwallows(input) && event.preventDefault());
    window.on('close', (event) => !leaving && event.preventDefault());
  }
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_URL);
}

// One process per terminal: a second start would fight over the same SQLite file.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Tillsync could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  // Quitting the app (the system shutting down, a service manager stopping it) closes the kiosk
  // window too; only closing the window itself is kept from customers.
  app.on('before-quit', () => (leaving = true));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.quit());
  });
}
