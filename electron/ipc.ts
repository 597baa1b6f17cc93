import { BrowserWindow, ipcMain } from 'electron';
import type { TerminalCore } from './core/terminalCore';
import { OPERATION_NAMES } from './core/api/operations';
import { EVENT_CHANNEL, ipcChannel } from './ipcChannels';
import { isTrustedFrame } from './lockdown';

/**
 * One handler per TerminalApi operation. The core validates the input and the role; here we check
 * who is asking: only our own pages, in a top frame (the terminal's own screen). Events go to every
 * window of this terminal.
 */
export function registerIpc(core: TerminalCore): void {
  for (const operation of OPERATION_NAMES) {
    ipcMain.handle(ipcChannel(operation), (event, input: unknown) => {
      const frame = event.senderFrame;
      return isTrustedFrame(frame && { url: frame.url, isTop: frame === frame.top })
        ? core.call(operation, input, { local: true })
        : { ok: false, error: { code: 'UNTRUSTED_CALLER', message: "Only the terminal's own screens may call it." } };
    });
  }
  core.onEvent((terminalEvent) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, terminalEvent);
  });
}
