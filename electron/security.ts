// Electron's lockdown, in one place and imported first: the screens are web pages that must never
// reach Node, another site, a new window or a device permission (electron/docs/tutorial/security.md).
import { app, session } from 'electron';
import { isAppUrl } from './appProtocol';

// Every renderer runs sandboxed, whatever a window's options say.
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
});
