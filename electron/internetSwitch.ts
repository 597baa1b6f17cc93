// The store's internet line, as a switch: a TCP relay between the store's terminals and the sync
// server that can be cut and restored. The demo (`npm start`, key `i`) uses it to show the kitchen
// keeping on over the shop's network; the store-continuity tests use it as their fault.
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How the line goes down. `reset`: every connection is refused at once, as a router that has lost
 * its uplink answers. `silent`: connections stall and new ones are never answered, as a cable cut
 * somewhere upstream looks — a terminal finds out only by its own timeouts.
 */
export type Outage = 'reset' | 'silent';

export class InternetSwitch {
  private readonly server: Server;
  private readonly links = new Set<{ client: Socket; upstream: Socket }>();
  private readonly held = new Set<Socket>();
  private outage: Outage | null = null;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Listens on a free port of `host`; returns the URL terminals are given as their server's. */
  async listen(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return `http://${host}:${(this.server.address() as { port: number }).port}`;
  }

  get isCut(): boolean {
    return this.outage !== null;
  }

  cut(outage: Outage = 'reset'): void {
    this.outage = outage;
    for (const link of this.links) {
      if (outage === 'reset') {
        link.client.destroy();
        link.upstream.destroy();
      } else {
        // Bytes in flight are lost on a cut line: neither side reads or hears any more.
        link.client.pause();
        link.upstream.pause();
        link.client.removeAllListeners('data');
        link.upstream.removeAllListeners('data');
      }
    }
  }

  /** The line is back: new connections go through. Those a silent cut stalled stay dead, as TCP's would. */
  restore(): void {
    this.outage = null;
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.outage === 'reset') return void client.destroy();
    if (this.outage === 'silent') {
      this.held.add(client);
      client.on('close', () => this.held.delete(client));
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const link = { client, upstream };
    this.links.add(link);
    client.pipe(upstream);
    upstream.pipe(client);
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

  async close(): Promise<void> {
    this.restore();
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
