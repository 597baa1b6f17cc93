// How a screen reaches its terminal: through Electron's preload bridge when there is one, otherwise
// over the web host's WebSocket. Either way the same TerminalApi, with results instead of throws.
import type { TerminalApi, TerminalBridge, TerminalBridgeCalls, TerminalEvent } from '#terminal-api/contract';
import { OPERATION_NAMES, type OperationName } from '#terminal-api/operations';
import type { ErrorBody, Result } from '#protocol/errors';

/** A refusal from the terminal, carrying its code so a screen can say what to do. */
export class TerminalError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'TerminalError';
  }

  get code() {
    return this.body.code;
  }
}

type Listener = (event: TerminalEvent) => void;

const CALL_TIMEOUT_MS = 15_000;

/** The WebSocket transport: reconnects by itself, and re-announces itself so screens refresh. */
function webSocketBridge(url: string): TerminalBridge {
  const listeners = new Set<Listener>();
  const waiting = new Map<number, { resolve: (result: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  // Calls made while the link is down wait for the next connection that opens, whichever attempt it is.
  let connected!: (ws: WebSocket) => void;
  let nextOpen = new Promise<WebSocket>((resolve) => (connected = resolve));

  const fail = (id: number, message: string) => {
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    entry.resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
  };

  const open = (): void => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      socket = ws;
      retryMs = 250;
      connected(ws);
      // Whatever happened while the link was down, screens should look again.
      for (const listener of listeners) for (const type of ['status', 'orders', 'menu'] as const) listener({ type });
    };
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number | null; result?: Result<unknown>; event?: TerminalEvent };
      if (data.event) for (const listener of listeners) listener(data.event);
      if (typeof data.id === 'number' && data.result) {
        const entry = waiting.get(data.id);
        if (!entry) return;
        waiting.delete(data.id);
        clearTimeout(entry.timer);
        entry.resolve(data.result);
      }
    };
    ws.onclose = () => {
      if (socket === ws) {
        // The link that was up is gone: later calls wait for the next one.
        socket = null;
        nextOpen = new Promise<WebSocket>((resolve) => (connected = resolve));
        for (const id of [...waiting.keys()]) fail(id, 'The connection to this terminal was lost. Trying again…');
        for (const listener of listeners) listener({ type: 'status' });
      }
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };

  const call = async (op: OperationName, input?: unknown): Promise<Result<unknown>> => {
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(id, 'The terminal did not answer. Please try again.'), CALL_TIMEOUT_MS);
      waiting.set(id, { resolve, timer });
      // Sent once there is a link; the call fails when the terminal is not back within the timeout.
      void (socket ? Promise.resolve(socket) : nextOpen).then((ws) => waiting.has(id) && ws.send(JSON.stringify({ id, op, input })));
    });
  };

  open();
  const calls = Object.fromEntries(OPERATION_NAMES.map((op) => [op, (input?: unknown) => call(op, input)])) as unknown as TerminalBridgeCalls;
  return {
    ...calls,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function connect(): TerminalBridge {
  if (window.tillsync) return window.tillsync;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketBridge(`${scheme}://${location.host}/api`);
}

const bridge = connect();

/** The TerminalApi for screens: resolves with the data, or throws a TerminalError. */
export const terminal = Object.fromEntries(
  OPERATION_NAMES.map((op) => [
    op,
    async (input?: unknown) => {
      const result = await (bridge[op] as (input?: unknown) => Promise<Result<unknown>>)(input);
      if (!result.ok) throw new TerminalError(result.error);
      return result.data;
    },
  ]),
) as unknown as TerminalApi;

export const onTerminalEvent = (listener: Listener) => bridge.onEvent(listener);
