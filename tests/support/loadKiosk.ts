// A light protocol client that uploads orders like a kiosk would: one push at a time, waiting for
// the acknowledgement (a real kiosk never has two pushes in flight), from pre-built orders so the
// load generator spends its time sending, not pricing.
import { businessDay } from '#protocol/businessDay';
import type { ErrorBody } from '#protocol/errors';
import type { PushResponse } from '#protocol/events';
import { uuidv7 } from '#protocol/ids';
import type { MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { TERMINAL_READS } from '../../electron/core/sync/syncClient';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { COOKIE, LATTE, orderUpload } from './orderUploads';
import { connectProtocolClient, type ProtocolClient } from './protocolClient';

export class PushRefused extends Error {
  constructor(readonly error: ErrorBody) {
    super(`push refused: ${JSON.stringify(error)}`);
  }
}

export class LoadKiosk {
  private mutationId = 0;
  private counter = 0;
  private readonly day = businessDay(new Date(), DEMO_STORE.timeZone);
  private template: OrderUpload;

  private constructor(
    readonly client: ProtocolClient,
    private readonly prefix: string,
    menu: MenuIndex,
  ) {
    this.template = orderUpload(menu, `${prefix}001`, [LATTE, COOKIE]);
  }

  /** `localAddress`: the loopback address to connect from, as the kiosk's store would. */
  static async connect(url: string, token: string, prefix: string, menu: MenuIndex, localAddress?: string): Promise<LoadKiosk> {
    // It reads the feed as this release's terminals do (the server writes no older version for it).
    return new LoadKiosk(await connectProtocolClient(url, { token, ...TERMINAL_READS }, { keepLive: false, ...(localAddress ? { localAddress } : {}) }), prefix, menu);
  }

  /** The next `count` orders as mutations, numbered on. */
  build(count: number) {
    return Array.from({ length: count }, () => {
      const now = Date.now();
      return {
        id: ++this.mutationId,
        kind: 'order.place' as const,
        order: { ...this.template, id: uuidv7(now), number: `${this.prefix}${String(++this.counter).padStart(3, '0')}`, businessDay: this.day, placedAt: new Date(now).toISOString() },
      };
    });
  }

  /** Pushes mutations and returns how many the server applied; throws PushRefused if it refused the push. */
  async push(mutations: ReturnType<LoadKiosk['build']>): Promise<number> {
    const answer = await this.client.request<PushResponse>('mutations:push', { mutations }, 60_000);
    if (!answer.ok) throw new PushRefused(answer.error);
    const applied = answer.data!.results.filter((r) => r.outcome === 'applied').length;
    if (applied !== mutations.length) throw new Error(`only ${applied} of ${mutations.length} applied: ${JSON.stringify(answer.data!.results.find((r) => r.outcome !== 'applied'))}`);
    return applied;
  }

  close(): void {
    this.client.close();
  }
}
