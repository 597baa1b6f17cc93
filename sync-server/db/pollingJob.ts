// A job every server node runs on a timer, whose work is kept in PostgreSQL and taken row by row
// with FOR UPDATE SKIP LOCKED (the menu schedule, the close of day): a pass that fails is logged
// and the next pass tries again; stopping waits for the pass under way.
import type { Logger } from '../log';

export class PollingJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  /** `pass` runs at once on start, then `everyMs` after each pass ends; `failure` is what the log says when one fails. */
  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly log: Logger,
    private readonly failure: string,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.pass()
        .then(() => undefined)
        .catch((error: unknown) => this.log.warn(this.failure, { error: String(error) }))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.everyMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
