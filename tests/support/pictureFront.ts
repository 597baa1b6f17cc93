// A front for the sync server, as a busy reverse proxy or a failing link would be: every connection
// goes through to the server, except a request for a menu picture (GET /media/…), which is answered
// as the test says: passed through, held without an answer, or refused with 429 and a Retry-After.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type PictureAnswer = 'pass' | 'hold' | { retryAfterSeconds: number };

export class PictureFront {
  /** Every picture request, in the order they came. */
  readonly requests: Array<{ path: string; at: number }> = [];
  /** Picture requests held open right now, and the most there ever were at once. */
  readonly held = new Set<Socket>();
  mostHeld = 0;
  answer: (path: string) => PictureAnswer = () => 'pass';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private accept(client: Socket): void {
    this.track(client);
    // A connection's first request decides it: the terminal fetches pictures on connections of
    // their own (socket.io keeps its websocket), and each picture's connection is closed after its
    // answer, so every picture request is seen here.
    client.once('data', (chunk: Buffer) => {
      let first = chunk;
      const path = /^GET (\/media\/\S*) HTTP\/1\.1\r\n/.exec(first.toString('latin1', 0, Math.min(first.length, 1024)))?.[1];
      if (path) {
        this.requests.push({ path, at: Date.now() });
        const answer = this.answer(path);
        if (answer === 'hold') {
          this.held.add(client);
          this.mostHeld = Math.max(this.mostHeld, this.held.size);
          client.once('close', () => this.held.delete(client));
          return;
        }
        if (answer !== 'pass') {
          client.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${answer.retryAfterSeconds}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
          return;
        }
        const lineEnd = first.indexOf('\r\n') + 2;
        first = Buffer.concat([first.subarray(0, lineEnd), Buffer.from('Connection: close\r\n'), first.subarray(lineEnd)]);
      }
      const upstream = this.track(connect(this.targetPort, '127.0.0.1'));
      upstream.write(first);
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      for (const socket of [client, upstream]) socket.on('error', close).on('close', close);
    });
    client.on('error', () => client.destroy());
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** Lets go of every held request (the terminal sees its connection drop). */
  releaseHeld(): void {
    for (const socket of this.held) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
