// A TCP proxy that misbehaves on purpose: it sits between terminals and the server and, while chaos
// is on, cuts connections, stalls them and delays their bytes at random. Order of bytes within a
// connection is kept (TCP would), everything else is fair game.
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Lane {
  /** When the last queued chunk is due: later chunks never overtake it. */
  lastDueAt: number;
  delayMs: number;
}

interface Link {
  client: Socket;
  upstream: Socket;
  lanes: { up: Lane; down: Lane };
}

export class ChaosProxy {
  private readonly server: Server;
  private readonly links = new Set<Link>();
  private timer: NodeJS.Timeout | null = null;
  /** What happened, for the test's log. */
  readonly faults = { cuts: 0, stalls: 0, delays: 0 };

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const link: Link = { client, upstream, lanes: { up: { lastDueAt: 0, delayMs: 0 }, down: { lastDueAt: 0, delayMs: 0 } } };
    this.links.add(link);
    const pipe = (from: Socket, to: Socket, lane: Lane) =>
      from.on('data', (chunk) => {
        const dueAt = Math.max(Date.now() + lane.delayMs, lane.lastDueAt);
        lane.lastDueAt = dueAt;
        const wait = dueAt - Date.now();
        if (wait <= 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), wait);
      });
    pipe(client, upstream, link.lanes.up);
    pipe(upstream, client, link.lanes.down);
    const close = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  }

  /** Starts misbehaving: every `everyMs`, one random connection is cut, stalled or slowed. */
  startChaos(everyMs = 120): void {
    this.timer = setInterval(() => {
      const links = [...this.links];
      const link = links[Math.floor(Math.random() * links.length)];
      if (!link) return;
      const dice = Math.random();
      if (dice < 0.3) {
        this.faults.cuts++;
        link.client.destroy();
        link.upstream.destroy();
      } else if (dice < 0.6) {
        this.faults.stalls++;
        link.client.pause();
        link.upstream.pause();
        setTimeout(() => {
          link.client.resume();
          link.upstream.resume();
        }, 200 + Math.random() * 1800);
      } else {
        this.faults.delays++;
        const delay = 20 + Math.random() * 400;
        link.lanes.up.delayMs = delay;
        link.lanes.down.delayMs = delay;
        setTimeout(() => {
          link.lanes.up.delayMs = 0;
          link.lanes.down.delayMs = 0;
        }, 2000);
      }
    }, everyMs);
  }

  /** Stops misbehaving; connections already broken stay broken, new ones work. */
  heal(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const link of this.links) {
      link.lanes.up.delayMs = 0;
      link.lanes.down.delayMs = 0;
      link.client.resume();
      link.upstream.resume();
    }
  }

  async close(): Promise<void> {
    this.heal();
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
