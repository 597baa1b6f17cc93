// Electron's lockdown, in one place and imported first: the screens are web pages that must never
// reach Node, another site, a new window or a device permission (electron/docs/tutorial/security.md;
// the rules themselves are in lockdown.ts).
import { app, session } from 'electron';
import { isAppUrl } from './lockdown';

// Every renderer runs sandboxed, whatever a window's options say.
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  // Subframes too: a page cannot navigate an iframe of its own somewhere else.
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
});
