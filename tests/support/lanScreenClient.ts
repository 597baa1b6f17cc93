// A browser on another device of the shop's network, reduced to what it sends: run inside a test
// network namespace (lanNamespace.ts) against a terminal's web host. Takes the host's URL and a
// list of steps as JSON; prints one JSON line with each step's outcome. Keeps cookies like a browser.
import { request } from 'node:http';
import { WebSocket } from 'ws';

type Step =
  | { kind: 'get'; path: string; host?: string }
  | { kind: 'pin'; pin: string }
  | { kind: 'call'; op: string; input?: unknown };

const [base, stepsJson] = process.argv.slice(2) as [string, string];
const steps = JSON.parse(stepsJson) as Step[];
let cookie = '';

async function callOnce(op: string, input: unknown): Promise<unknown> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api`, { origin: base, headers: cookie ? { cookie } : {} });
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    ws.once('error', (error) => resolve({ error: error.message }));
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, op, input })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (message.id === 1) {
        ws.close();
        resolve(message.result);
      }
    });
  });
}

/** A GET as a browser sends it, Host header included (fetch would not let us set it). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    request(new URL(path, base), { headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () => {
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: a page
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    })
      .on('error', (error) => resolve({ status: 0, body: error.message }))
      .end();
  });
}

const outcomes: unknown[] = [];
for (const step of steps) {
  if (step.kind === 'get') {
    outcomes.push(await get(step.path, { ...(cookie ? { cookie } : {}), ...(step.host ? { host: step.host } : {}) }));
  } else if (step.kind === 'pin') {
    const response = await fetch(new URL('/screen-pin', base), { method: 'POST', headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ pin: step.pin }) });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    outcomes.push({ status: response.status, cookie: set });
  } else {
    outcomes.push(await callOnce(step.op, step.input));
  }
}
console.log(JSON.stringify(outcomes));
