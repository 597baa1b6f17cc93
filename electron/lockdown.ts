// Electron's lockdown as plain rules, free of Electron itself, so they can be checked without its
// binary: which pages are ours, which frames may call the terminal, the window's web preferences,
// and which keys a kiosk swallows. security.ts, appProtocol.ts, ipc.ts and main.ts apply them.

export const APP_SCHEME = 'app';
export const APP_HOST = 'terminal';
/** The screens load from here (a guarded custom protocol), never from file:// or the network. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

/** Whether a URL is one of our own pages. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Only our own pages, in a top frame, may call the terminal. */
export const isTrustedFrame = (frame: { url: string; isTop: boolean } | null) => Boolean(frame && frame.isTop && isAppUrl(frame.url));

/**
 * The web preferences of every window: no Node, isolated and sandboxed, the browser's own security
 * on, nothing experimental, no webviews; devtools only outside a packaged app.
 */
export function webPreferences(preload: string, packaged: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    devTools: !packaged,
  } as const;
}

/** What a keystroke looks like to Electron's before-input-event. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

/**
 * Keys a customer at a kiosk must not use: closing, quitting, reloading, leaving full screen, and
 * the developer tools. Staff leave kiosk mode with their PIN, from the screen.
 */
export function kioskSwallows(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (['f5', 'f11', 'f12'].includes(key)) return true;
  if (input.alt && key === 'f4') return true;
  if (command && ['w', 'q', 'r', 'n', 't', 'p', 's', 'o', 'f4'].includes(key)) return true;
  if (command && input.shift && ['i', 'j', 'c', 'r'].includes(key)) return true;
  if (command && input.alt && ['i', 'j'].includes(key)) return true;
  return false;
}
