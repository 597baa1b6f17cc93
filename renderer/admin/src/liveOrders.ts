// The live orders page's data: the list from GET /api/live-orders, kept up to date by the `/admin`
// socket's changes (merged as liveOrderChanges.ts says) and read again after every reconnect.
import { io } from 'socket.io-client';
import { onUnmounted, ref, shallowRef, watch, type Ref } from 'vue';
import type { z } from 'zod';
import { ADMIN_NAMESPACE, LiveOrderChangesSchema, type LiveOrder, type LiveOrderChanges, type LiveOrdersSchema } from '#admin-api';
import type { ErrorBody } from '#protocol/errors';
import { api, ApiError } from './api';
import { applyChanges } from './liveOrderChanges';

export type { LiveOrder } from '#admin-api';
export type LiveStore = z.output<typeof LiveOrdersSchema>['stores'][number];
/** The socket: reading the list, following it, or waiting to reconnect (with why, in the server's words). */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** How long to wait before reading the list, or connecting, again after a failure the server gave no time for. */
const RETRY_MS = 5000;

/**
 * The orders of `storeIds` (null: every store the admin may see), live. `serverNow()` is the
 * server's clock, which ages are counted by: a till's clock may be minutes off.
 */
export function useLiveOrders(storeIds: Ref<string[] | null>) {
  const orders = shallowRef<LiveOrder[]>([]);
  const stores = ref<LiveStore[]>([]);
  const more = ref(false);
  const state = ref<LiveState>('connecting');
  /** What stops the page following the orders, in the server's words; null while all is well. */
  const problem = ref<string | null>(null);
  let offsetMs = 0;
  const serverNow = () => Date.now() + offsetMs;

  let held = new Map<string, LiveOrder>();
  /** Changes heard while the list is being read, applied on top of it: it may be older than they are. */
  let heard: LiveOrderChanges[] | null = null;
  /** The next read of the list after one failed, and the next connection after the server refused or closed one. */
  let relist: ReturnType<typeof setTimeout> | undefined;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  const wanted = (storeId: string) => storeIds.value === null || storeIds.value.includes(storeId);
  const publish = () => void (orders.value = [...held.values()]);

  /** Reads started; an answer to any but the last is dropped (the stores chosen changed meanwhile). */
  let reads = 0;
  async function readList(): Promise<void> {
    clearTimeout(relist);
    const read = ++reads;
    heard ??= [];
    const query = storeIds.value ? `?storeIds=${storeIds.value.join(',')}` : '';
    try {
      const answer = await api<z.output<typeof LiveOrdersSchema>>('GET', `/live-orders${query}`);
      if (read !== reads) return;
      offsetMs = Date.parse(answer.serverTime) - Date.now();
      held = new Map(answer.orders.map((order) => [order.id, order]));
      for (const batch of heard) if (wanted(batch.storeId)) applyChanges(held, batch);
      heard = null;
      stores.value = answer.stores;
      more.value = answer.more;
      problem.value = null;
      state.value = socket.connected ? 'live' : 'reconnecting';
      publish();
    } catch (error) {
      if (read !== reads) return;
      heard = null;
      problem.value = (error as Error).message;
      // Signed out meanwhile: the app goes back to sign-in (api.ts); otherwise try again.
      if (!(error instanceof ApiError && error.status === 401)) relist = setTimeout(() => void readList(), RETRY_MS);
    }
  }

  // Same origin, the session's cookie: the server checks both (liveOrdersNamespace.ts).
  const socket = io(ADMIN_NAMESPACE, { transports: ['websocket'] });
  socket.on('connect', () => void readList());
  socket.on('orders:changes', (batch: unknown) => {
    const parsed = LiveOrderChangesSchema.safeParse(batch);
    if (!parsed.success || !wanted(parsed.data.storeId)) return;
    if (heard) return void heard.push(parsed.data);
    applyChanges(held, parsed.data);
    publish();
  });
  /** A session that has ended sends the app back to sign-in (api.ts), which closes this page and its socket. */
  const checkSession = () => void api('GET', '/me').catch(() => undefined);
  socket.on('disconnect', (reason) => {
    state.value = 'reconnecting';
    // The server closed it (Socket.IO then leaves it closed): the session ended, or newer tabs took its place.
    if (reason !== 'io server disconnect') return; // Otherwise Socket.IO connects again by itself.
    checkSession();
    reconnect = setTimeout(() => socket.connect(), RETRY_MS);
  });
  socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
    state.value = 'reconnecting';
    if (!error.data) return; // The server is out of reach: Socket.IO tries again by itself.
    // Refused by the server: said in its words, and tried again when it says (too many connections), else in a while.
    problem.value = error.data.message;
    if (error.data.code === 'AUTH_REQUIRED' || error.data.code === 'AUTH_INVALID') checkSession();
    reconnect = setTimeout(() => socket.connect(), error.data.retryAfterMs ?? RETRY_MS);
  });

  // Another choice of stores: a list of its own; the socket already hears every store one may see.
  watch(storeIds, () => {
    if (socket.connected) void readList();
  });
  onUnmounted(() => {
    clearTimeout(relist);
    clearTimeout(reconnect);
    socket.disconnect();
  });

  return { orders, stores, more, state, problem, serverNow };
}
