// Electron's main process, kept thin: lockdown, one window, IPC wired to the terminal core.
import './security';
import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { APP_URL, serveRenderer } from './appProtocol';
import { readTerminalConfig } from './core/terminalConfig';
import { createTerminalCore, type TerminalCore } from './core/terminalCore';
import { registerIpc } from './ipc';
import { keychain } from './keychain';

/** kiosk: locked full screen (customers); fullscreen: kitchen and wall screens; window: development and the demo. */
const WindowModeSchema = z.enum(['kiosk', 'fullscreen', 'window']).default('kiosk');
const here = fileURLToPath(new URL('.', import.meta.url));
const config = readTerminalConfig(process.env, join(app.getPath('appData'), 'Tillsync', 'terminal'));
// Chromium's profile lives with the terminal's data, so one machine can run several terminals
// (the demo does) and the single-instance lock below is per terminal, not per app.
app.setPath('userData', join(config.dataDir, 'electron'));
let core: TerminalCore | null = null;

async function start(): Promise<void> {
  const mode = WindowModeSchema.parse(process.env.TILLSYNC_WINDOW);
  // Packaged, the migrations ship as resources; from the repository they are in prisma/.
  const migrationsDir = app.isPackaged ? join(process.resourcesPath, 'migrations', 'terminal') : join(app.getAppPath(), 'prisma', 'migrations', 'terminal');
  serveRenderer(join(app.getAppPath(), 'dist', 'renderer'));
  const secrets = keychain();
  core = await createTerminalCore({ ...config, migrationsDir, ...(secrets ? { secrets } : {}), log: (message, fields) => console.log(JSON.stringify({ message, ...fields })) });
  registerIpc(core);

  const window = new BrowserWindow({
    width: 1366,
    height: 900,
    show: false,
    kiosk: mode === 'kiosk',
    fullscreen: mode === 'fullscreen',
    autoHideMenuBar: true,
    backgroundColor: '#f4efe7',
    title: 'Tillsync',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
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
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.quit());
  });
}
