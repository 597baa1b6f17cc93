// A terminal's TerminalApi as its own screen calls it: over its web host's WebSocket, from the
// screen's origin. Specs place orders on the demo kiosk and bump them on the kitchen display this
// way, many at a time, without walking the screens for each.
import { once } from 'node:events';
import { WebSocket } from 'ws';

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

export interface TerminalApiClient {
  /** Calls `op`; resolves with its answer, or rejects with the terminal's refusal. */
  call<T>(op: string, input?: unknown): Promise<T>;
  close(): void;
}

/** Connects to the terminal whose screen is at `screenUrl`. */
export async function terminalApi(screenUrl: string): Promise<TerminalApiClient> {
  const origin = new URL(screenUrl).origin;
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api`, { origin });
  await once(ws, 'open');
  const waiting = new Map<number, (result: Result) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: Result };
    if (typeof message.id === 'number' && message.result) waiting.get(message.id)?.(message.result);
  });
  let next = 0;
  return {
    call<T>(op: string, input?: unknown) {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (result) => {
          waiting.delete(id);
          if (result.ok) resolve(result.data as T);
          else reject(new Error(`${op} refused: ${result.error.code} ${result.error.message}`));
        });
        ws.send(JSON.stringify({ id, op, input }));
      });
    },
    close: () => ws.close(),
  };
}
