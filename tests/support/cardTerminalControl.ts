// The hand a test puts on the card terminal simulator through its control API (/sim): what the
// next customer does, the charges it made, its network cable. Answers are checked by the
// simulator's own schemas.
import type { z } from 'zod';
import { ChargesSchema, type CustomerTurnSchema } from '../../electron/simulators/cardTerminal';

export class CardTerminalControl {
  constructor(readonly url: string) {}

  /** Queues what the customer does with the next payment that has no outcome queued yet. */
  async next(turn: z.input<typeof CustomerTurnSchema>): Promise<void> {
    await this.post('/sim/next', turn);
  }

  /** Every approved charge the terminal made, with what was refunded of it. */
  async charges(): Promise<z.output<typeof ChargesSchema>['charges']> {
    const response = await fetch(`${this.url}/sim/charges`);
    return ChargesSchema.parse(await response.json()).charges;
  }

  /** Pulls (true) or plugs back (false) the terminal's network cable. */
  async offline(offline: boolean): Promise<void> {
    await this.post('/sim/offline', { offline });
  }

  private async post(path: string, body: object): Promise<void> {
    const response = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  }
}
