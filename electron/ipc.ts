import { BrowserWindow, ipcMain, type WebFrameMain } from 'electron';
import type { TerminalCore } from './core/terminalCore';
import { OPERATION_NAMES } from './core/api/operations';
import { isAppUrl } from './appProtocol';
import { EVENT_CHANNEL, ipcChannel } from './ipcChannels';

/** Only our own pages, in a top frame, may call the terminal. */
const trusted = (frame: WebFrameMain | null) => Boolean(frame && frame === frame.top && isAppUrl(frame.url));

/**
 * One handler per TerminalApi operation. The core validates the input and the role; here we check
 * who is asking. Events go to every window of this terminal.
 */
export function registerIpc(core: TerminalCore): void {
  for (const operation of OPERATION_NAMES) {
    ipcMain.handle(ipcChannel(operation), (event, input: unknown) =>
      trusted(event.senderFrame)
        ? core.call(operation, input, { local: true })
        : { ok: false, error: { code: 'UNTRUSTED_CALLER', message: "Only the terminal's own screens may call it." } },
    );
  }
  core.onEvent((terminalEvent) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, terminalEvent);
  });
}
