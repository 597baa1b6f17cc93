// IPC channel names, shared by the main process and the preload script.
import type { OperationName } from './core/api/operations';

export const ipcChannel = (operation: OperationName) => `tillsync:${operation}` as const;
/** Main → renderer: something changed (TerminalEvent). */
export const EVENT_CHANNEL = 'tillsync:event';
