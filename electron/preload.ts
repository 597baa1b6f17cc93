// The only bridge between a screen and its terminal: one method per TerminalApi operation, no
// access to ipcRenderer itself. Runs sandboxed, so it is bundled into one CommonJS file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { TerminalBridge, TerminalBridgeCalls, TerminalEvent } from './core/api/contract';
import { OPERATION_NAMES } from './core/api/operations';
import { EVENT_CHANNEL, ipcChannel } from './ipcChannels';

const calls = Object.fromEntries(
  OPERATION_NAMES.map((operation) => [operation, (input?: unknown) => ipcRenderer.invoke(ipcChannel(operation), input)]),
) as unknown as TerminalBridgeCalls;

const bridge = {
  ...calls,
  onEvent(listener: (event: TerminalEvent) => void) {
    const forward = (_event: IpcRendererEvent, terminalEvent: TerminalEvent) => listener(terminalEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
} satisfies TerminalBridge;

contextBridge.exposeInMainWorld('tillsync', bridge);
