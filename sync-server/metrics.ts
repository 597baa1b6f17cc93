// What an operator's Prometheus scrapes from each server node at /metrics: orders accepted, how
// long a push takes, who is connected, how far terminals are behind their store's feed, how busy
// the database pools are, and how long handing a menu change to every terminal takes.
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Change, DeviceRole, MutationResult } from './protocol/events';

/** A connected terminal, as the metrics see it. */
export interface ConnectedTerminal {
  deviceId: string;
  storeId: string;
  role: DeviceRole;
}

export interface MetricSources {
  terminals(): Iterable<ConnectedTerminal>;
  /** Database pools by name: the terminals' and head office's. */
  pools: Record<string, pg.Pool>;
}

const ROLES: readonly DeviceRole[] = ['kiosk', 'kitchen', 'board'];

/**
 * Node's own figures (memory, event loop, garbage collection) belong to the process, not to one
 * server in it: collected once, however many servers a process starts (tests start hundreds).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'tillsync_' });
  }
  return processRegistry;
}

/** Changes that every terminal of a store must receive: what a fan-out is timed for. */
const STORE_WIDE = new Set<Change['kind']>(['menu.published', 'item.availability']);

export class ServerMetrics {
  private readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  /** The newest seq of each store this node has committed or broadcast. */
  private readonly heads = new Map<string, number>();
  /** The last seq each connected device said it applied. */
  private readonly applied = new Map<string, number>();
  private readonly orders: Counter<'outcome'>;
  private readonly pushSeconds: Histogram;
  private readonly fanOutSeconds: Histogram<'kind'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.orders = new Counter({
      name: 'tillsync_orders_total',
      help: 'Orders uploaded by kiosks, by the answer they got: applied, duplicate (held already) or rejected.',
      labelNames: ['outcome'],
      registers,
    });
    this.pushSeconds = new Histogram({
      name: 'tillsync_push_seconds',
      help: 'Time from a push arriving to its answer: waiting behind the same device\'s pushes, checks, the merge transaction and its commit.',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.fanOutSeconds = new Histogram({
      name: 'tillsync_fanout_seconds',
      help: "Time to hand a store-wide change (a menu version, an item's availability) to every terminal of its store connected to this node.",
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    const heads = this.heads;
    const applied = this.applied;
    new Gauge({
      name: 'tillsync_terminals_connected',
      help: 'Terminals connected to this node, by role.',
      labelNames: ['role'],
      registers,
      collect() {
        const counts = new Map(ROLES.map((role) => [role, 0]));
        for (const terminal of sources.terminals()) counts.set(terminal.role, counts.get(terminal.role)! + 1);
        for (const [role, count] of counts) this.set({ role }, count);
      },
    });
    new Gauge({
      name: 'tillsync_feed_lag_changes',
      help: "The most changes a connected terminal of each role has still to apply: its store's newest change on this node, less the last one it reported applying.",
      labelNames: ['role'],
      registers,
      collect() {
        const worst = new Map(ROLES.map((role) => [role, 0]));
        for (const { deviceId, storeId, role } of sources.terminals()) {
          const head = heads.get(storeId);
          const done = applied.get(deviceId);
          if (head !== undefined && done !== undefined) worst.set(role, Math.max(worst.get(role)!, head - done));
        }
        for (const [role, lag] of worst) this.set({ role }, lag);
      },
    });
    new Gauge({
      name: 'tillsync_db_pool_connections',
      help: 'Database connections of each pool: open, idle, and requests waiting for one.',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, { totalCount, idleCount, waitingCount }] of Object.entries(sources.pools)) {
          this.set({ pool, state: 'open' }, totalCount);
          this.set({ pool, state: 'idle' }, idleCount);
          this.set({ pool, state: 'waiting' }, waitingCount);
        }
      },
    });
  }

  /** Every figure, in Prometheus's text format. */
  scrape(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }

  /** A push answered: how long it took, and what became of the orders in it. */
  pushAnswered(seconds: number, orderIds: ReadonlySet<number>, results: readonly MutationResult[]): void {
    this.pushSeconds.observe(seconds);
    for (const result of results) if (orderIds.has(result.id)) this.orders.inc({ outcome: result.outcome });
  }

  reportApplied(deviceId: string, seq: number): void {
    this.applied.set(deviceId, seq);
  }

  disconnected(deviceId: string): void {
    this.applied.delete(deviceId);
  }

  /** Times `send` when it hands a store-wide change out, and keeps each store's newest seq. */
  broadcast(changes: Map<string, Change[]>, send: () => void): void {
    const kinds = new Set<Change['kind']>();
    for (const [storeId, list] of changes) {
      for (const change of list) if (STORE_WIDE.has(change.kind)) kinds.add(change.kind);
      const newest = list.at(-1)?.seq;
      if (newest !== undefined && newest > (this.heads.get(storeId) ?? 0)) this.heads.set(storeId, newest);
    }
    const started = performance.now();
    send();
    const seconds = (performance.now() - started) / 1000;
    for (const kind of kinds) this.fanOutSeconds.observe({ kind }, seconds);
  }
}
