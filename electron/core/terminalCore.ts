// The terminal core: plain Node, never Electron. Electron's main process and the web host both run
// it and hand its `call` to the renderer; tests run it directly.
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ok, toErrorBody, type Result } from '#protocol/errors';
import { parseInput } from '#protocol/parse';
import { OPERATIONS, type Caller, type PairInput, type TerminalApi, type TerminalEvent, type TerminalStatus } from './api/contract';
import type { OperationName } from './api/operations';
import { profileOf, taxPolicyOf, type CoreContext } from './context';
import { openTerminalDb } from './db/terminalDb';
import { keepPrivate, tokenFromStore, type SecretBox } from './deviceSecrets';
import { enrol, kioskSettingsOf, readSettings, saveProfile, sealStoredToken, updateSettings, type Settings } from './deviceSettings';
import { checkServerUrl } from './serverAddress';
import { MenuPictures } from './menu/menuPictures';
import { MenuCache } from './menu/menuStore';
import { PictureShelf } from './menu/pictureShelf';
import { exchangePairingCode } from './pairing';
import { getBoard } from './orders/board';
import { placeOrder } from './orders/placeOrder';
import { ScreenAccess } from './screenAccess';
import { Speaker, type SpeakerOptions } from './speech/speaker';
import { StaffExit } from './staffExit';
import { ReceiptPrinting, receiptOf } from './orders/receiptPrinting';
import { printReceipt, type ReceiptPrinter } from './receipts/printerLink';
import { bumpItem, bumpTicket, listTickets, markPaid, recallTicket } from './orders/tickets';
import { CardCheckout, type CardCheckoutOptions } from './payments/checkout';
import type { PaymentProvider } from './payments/paymentProvider';
import { pendingCount, type Refusal } from './sync/outbox';
import { SyncClient } from './sync/syncClient';
import { StoreLan, type StoreLanOptions } from './peers/storeLan';
import { StoreLink } from './storeLink';
import { CloudOutage } from './cloudOutage';
import { TerminalClock } from './terminalClock';

export const terminalMigrationsDir = fileURLToPath(new URL('../../prisma/migrations/terminal', import.meta.url));

export interface TerminalCoreConfig {
  databaseFile: string;
  /** Where the kiosk keeps its menu pictures; by default beside the SQLite file (terminal.db: terminal-pictures/). */
  picturesDir?: string;
  /** How long a new menu version waits for its pictures before it is shown anyway (menuPictures.ts); tests shorten it. */
  menuPictureWaitMs?: number;
  /** The sync server. Needed until the terminal is paired; remembered after. */
  serverUrl?: string;
  /** A one-time pairing code to pair with at start, instead of staff typing it on the screen. */
  pairingCode?: string;
  /** A device token issued directly (the demo and tests do this); normally pairing obtains it. */
  deviceToken?: string;
  migrationsDir?: string;
  /** The machine's wall clock (Date.now); tests give a terminal a wrong one. */
  wallClock?: () => number;
  /** The machine's monotonic clock (performance.now); tests move it to let time pass. */
  monotonicClock?: () => number;
  /** Seals the device token in terminal.db (Electron's safeStorage); without it the file is private to its user. */
  secrets?: SecretBox;
  /** Lets the terminal talk to a server over http:// on another machine: development only. */
  allowInsecureHttp?: boolean;
  /** The PIN staff give to leave a locked kiosk window (TILLSYNC_STAFF_PIN). */
  staffPin?: string;
  /** The kiosk's card terminal (TILLSYNC_CARD_TERMINAL_URL); without it the kiosk takes payment at the counter only. */
  paymentProvider?: PaymentProvider;
  /** How the card checkout polls and waits (tests shorten it). */
  cardCheckout?: Omit<CardCheckoutOptions, 'onPlaced' | 'log'>;
  /** Where the kiosk prints its receipts (TILLSYNC_RECEIPT_PRINTER); without one the customer scans the QR code. */
  receiptPrinter?: ReceiptPrinter;
  /** Closes the locked kiosk window (Electron); with `staffPin`, lets staff leave kiosk mode. */
  onStaffExit?: () => void;
  /**
   * The store's LAN: where this terminal's peer link listens and whether it advertises by multicast
   * DNS. Without it the terminal works with the server alone (tests that are not about the LAN).
   */
  lan?: StoreLanOptions;
  /** A kiosk's speech engine for blind customers (speech/speechConfig.ts: TILLSYNC_SPEECH_*). */
  speech?: Omit<SpeakerOptions, 'log'>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface TerminalCore {
  api: TerminalApi;
  /**
   * The boundary: checks the operation, who may call it (the device's role; the terminal's own
   * screen or another device's) and the input, and never throws.
   */
  call(operation: string, input: unknown, caller?: Caller): Promise<Result<unknown>>;
  /** The PIN and sessions of screens on other devices (see screenAccess.ts). */
  screens: ScreenAccess;
  /** The kiosk's copies of the menu's pictures, which the hosts serve to its screens at /media. */
  pictures: PictureShelf;
  /** Where the web host serves this terminal on the shop's network, for staff to read off. */
  setNetworkUrls(urls: string[]): void;
  onEvent(listener: (event: TerminalEvent) => void): () => void;
  close(): Promise<void>;
}

export async function createTerminalCore(config: TerminalCoreConfig): Promise<TerminalCore> {
  const log = config.log ?? (() => {});
  const db = await openTerminalDb(config.databaseFile, config.migrationsDir ?? terminalMigrationsDir);
  await keepPrivate(config.databaseFile);
  const sql = db.write;
  const box = config.secrets;
  const allowInsecureHttp = config.allowInsecureHttp ?? false;
  if (box) sealStoredToken(sql, box);
  if (config.serverUrl && config.deviceToken) enrol(sql, config.serverUrl, config.deviceToken, box);
  // A paired terminal configured with another address goes there: the server moved (or the demo's
  // store line did); the device and its token stay what they are.
  if (config.serverUrl && readSettings(sql) && readSettings(sql)!.serverUrl !== config.serverUrl) updateSettings(sql, { serverUrl: config.serverUrl });
  let settings: Settings | null = readSettings(sql);
  const wall = config.wallClock ?? Date.now;
  const monotonic = config.monotonicClock ?? (() => performance.now());
  let clock = settings?.deviceId ? new TerminalClock(settings.deviceId, settings.clockOffsetMs, settings.lastHlc, wall, monotonic) : null;
  let problem: TerminalStatus['problem'] = null;
  let sync: SyncClient | null = null;
  const listeners = new Set<(event: TerminalEvent) => void>();
  const emit = (event: TerminalEvent) => listeners.forEach((listener) => listener(event));
  const menus = new MenuCache(db.read);
  const shelf = new PictureShelf(config.picturesDir ?? join(dirname(config.databaseFile), `${basename(config.databaseFile, extname(config.databaseFile))}-pictures`));
  await shelf.open();
  // A new menu version is shown once its pictures have been fetched (see menuPictures.ts).
  const pictures = new MenuPictures({
    shelf,
    menus,
    read: db.read,
    newest: () => readSettings(sql)?.menuVersionId ?? null,
    showsPictures: () => settings?.role === 'kiosk',
    onSwitch: () => emit({ type: 'menu' }),
    log,
    ...(config.menuPictureWaitMs === undefined ? {} : { switchWaitMs: config.menuPictureWaitMs }),
  });
  let online = false;
  const link = new StoreLink(wall);
  const outage = new CloudOutage(sql);
  const lan = config.lan
    ? new StoreLan({
        ...config.lan,
        sql,
        secrets: box,
        clock: () => ctx.clock(),
        emit(event) {
          emit(event);
          if (event.type === 'status') relink();
        },
        outboxChanged: () => sync?.nudge(),
        onListening: () => sync?.announceLan(),
        log,
      })
    : null;
  /** Re-reads how this terminal is connected (cloud, LAN only, alone); the screens hear of a change. */
  function relink(): void {
    if (link.update(sync?.connection === 'online', lan?.linksUp ?? 0)) emit({ type: 'status' });
    settings = outage.linkRead(settings, link.offlineSince);
  }

  /** Starts talking to the server: on start when paired, or once staff pair the terminal. */
  function startSync(enrolled: Settings): void {
    let token: string;
    try {
      checkServerUrl(enrolled.serverUrl, allowInsecureHttp);
      token = tokenFromStore(enrolled.deviceToken, box);
    } catch (error) {
      // Staff see why this terminal stays offline; nothing is sent where it should not go.
      if (!(error instanceof AppError)) throw error;
      problem = { code: error.code, message: error.message, at: new Date().toISOString() };
      log('not connecting to the server', { code: error.code });
      return;
    }
    sync = new SyncClient({
      sql,
      serverUrl: enrolled.serverUrl,
      token,
      wallClock: wall,
      monotonicClock: monotonic,
      async onHello(hello, reading) {
        clock ??= new TerminalClock(hello.device.id, 0, readSettings(sql)?.lastHlc ?? null, wall, monotonic);
        clock.adjust(reading);
        settings = outage.helloAccepted(saveProfile(sql, hello, clock.wallOffsetMs), link.offlineSince);
        emit({ type: 'status' });
        return clock;
      },
      onSettingsChanged() {
        settings = readSettings(sql);
      },
      onClockAdjusted(wallOffsetMs) {
        // Kept for a restart without the server; a few milliseconds either way are not worth a write.
        if (Math.abs(wallOffsetMs - (settings?.clockOffsetMs ?? 0)) < 250) return;
        updateSettings(sql, { clockOffsetMs: wallOffsetMs });
        settings = readSettings(sql);
      },
      onEvents(events) {
        const types = new Set(events.map((e) => e.type));
        for (const type of types) emit(events.find((e) => e.type === type)!);
        if (types.has('menu')) pictures.menuChanged();
        // Back online: the pictures that could not be fetched are tried again.
        const nowOnline = sync?.connection === 'online';
        if (nowOnline && !online) pictures.retry();
        online = nowOnline;
        relink();
      },
      secrets: box,
      lan: () => lan?.address() ?? null,
      offlineSince: () => outage.toReport(settings, wall()),
      onPeersChanged: () => lan?.peersChanged(),
      onCertified: () => lan?.start(),
      onRefusals(refusals: Refusal[]) {
        const last = refusals.at(-1);
        if (!last) return;
        for (const { mutation, error } of refusals) log('server refused a change', { mutationId: mutation.id, kind: mutation.kind, code: error.code });
        if (clock && refusals.some((r) => r.error.code === 'CLOCK_DRIFT')) {
          // The withdrawn stamps were ahead of the server: go on from the latest stamp still held.
          clock.rewind(sql.get<{ hlc: string | null }>('SELECT max(hlc) AS hlc FROM OrderStatusEvent')!.hlc);
          updateSettings(sql, { lastHlc: clock.current() });
        }
        problem = { code: last.error.code, message: last.error.message, at: new Date().toISOString() };
      },
      log,
    });
    sync.start();
    pictures.fetchFrom(enrolled.serverUrl);
  }

  async function pair({ serverUrl, code }: PairInput): Promise<TerminalStatus> {
    if (settings) throw new AppError('ALREADY_PAIRED');
    checkServerUrl(serverUrl, allowInsecureHttp);
    const token = await exchangePairingCode(serverUrl, code);
    enrol(sql, serverUrl, token, box);
    settings = readSettings(sql);
    startSync(settings!);
    emit({ type: 'status' });
    return api.getStatus();
  }

  const screens = new ScreenAccess(sql);
  const staffExit = new StaffExit(config.staffPin, config.onStaffExit);
  const speaker = new Speaker({ ...config.speech, log });
  let networkUrls: string[] = [];

  const ctx: CoreContext = {
    read: db.read,
    write: sql,
    menus,
    settings: () => {
      if (!settings) throw new AppError('NOT_PROVISIONED', 'Pair this terminal with a store first.');
      return settings;
    },
    clock: () => {
      if (!clock) throw new AppError('NOT_PROVISIONED', 'This terminal has not reached the server yet. Check its network connection.');
      return clock;
    },
    emit,
    outboxChanged: () => sync?.nudge(),
  };
  const printer = config.receiptPrinter;
  const receipts = new ReceiptPrinting(
    printer ? (order) => printReceipt(printer, receiptOf(ctx, order)).then((outcome) => (outcome.printed ? 'printed' : outcome.problem)) : null,
    (orderId) => emit({ type: 'receipt', orderId }),
  );
  const checkout = new CardCheckout(ctx, config.paymentProvider ?? null, { ...config.cardCheckout, onPlaced: (order) => receipts.placed(order), log });

  const api: TerminalApi = {
    async getStatus() {
      const rejected = await db.read.order.findMany({ where: { syncState: 'rejected' }, orderBy: { placedAt: 'desc' }, take: 50 });
      const s = settings;
      if (!s) {
        return {
          paired: false,
          serverUrl: config.serverUrl ?? null,
          provisioned: false,
          device: null,
          store: null,
          connection: 'unpaired',
          link: link.view(),
          pendingUploads: 0,
          rejectedOrders: [],
          problem: null,
          staffCanLeave: staffExit.possible,
          kiosk: null,
        };
      }
      return {
        paired: true,
        serverUrl: s.serverUrl,
        provisioned: Boolean(s.deviceId),
        device: s.deviceId && s.role ? { id: s.deviceId, name: s.deviceName ?? '', role: s.role as 'kiosk' | 'kitchen' | 'board', orderPrefix: s.orderPrefix } : null,
        store: s.storeId ? { id: s.storeId, name: s.storeName ?? '', timeZone: s.timeZone ?? 'UTC', currency: s.currency ?? 'EUR' } : null,
        connection: sync?.connection ?? 'connecting',
        link: link.view(),
        pendingUploads: pendingCount(sql),
        rejectedOrders: rejected.map((o) => ({
          id: o.id,
          number: o.number,
          placedAt: o.placedAt.toISOString(),
          totalCents: o.totalCents,
          code: o.rejectCode ?? 'INTERNAL',
          message: o.rejectMessage ?? '',
        })),
        problem,
        staffCanLeave: staffExit.possible,
        kiosk: s.role === 'kiosk' ? { ...kioskSettingsOf(s), cardPayments: checkout.available } : null,
      };
    },
    async getMenu() {
      const profile = profileOf(ctx);
      const versionId = await pictures.shownVersion();
      return versionId ? ctx.menus.view(versionId, { id: profile.storeId, timeZone: profile.timeZone, tax: taxPolicyOf(profile) }) : null;
    },
    pair,
    placeOrder: (input) => placeOrder(ctx, input, (order) => receipts.placed(order)),
    payByCard: (input) => checkout.begin(input),
    getCheckout: async ({ orderId }) => checkout.view(orderId),
    retryCard: ({ orderId }) => checkout.retry(orderId),
    cancelCheckout: ({ orderId }) => checkout.cancel(orderId),
    payAtCounterInstead: async ({ orderId }) => checkout.payAtCounter(orderId),
    getReceipt: async ({ orderId }) => receipts.view(orderId),
    markPaid: (action) => markPaid(ctx, action),
    listTickets: () => listTickets(ctx),
    bumpTicket: (action) => bumpTicket(ctx, action),
    bumpItem: (action) => bumpItem(ctx, action),
    recallTicket: (action) => recallTicket(ctx, action),
    getBoard: () => getBoard(ctx),
    getScreenAccess: async () => ({ urls: networkUrls, pin: screens.pin(), screens: screens.screens() }),
    renewScreenPin: async () => {
      screens.renewPin();
      return api.getScreenAccess();
    },
    leaveKiosk: ({ pin }) => staffExit.attempt(pin),
    speak: (input) => speaker.speak(input),
  };

  async function call(operation: string, input: unknown, caller: Caller = { local: true }): Promise<Result<unknown>> {
    try {
      if (!Object.hasOwn(OPERATIONS, operation)) throw new AppError('UNKNOWN_OPERATION', `There is no operation "${operation}".`);
      const name = operation as OperationName;
      const { role, local } = OPERATIONS[name];
      if (local && !caller.local) throw new AppError('LOCAL_ONLY');
      if (role) {
        const profile = profileOf(ctx);
        if (profile.role !== role) throw new AppError('FORBIDDEN_FOR_ROLE', `Only a ${role} can do this; this terminal is a ${profile.role}.`);
      }
      const parsed = parseInput(OPERATIONS[name].input, input);
      return ok(await (api[name] as (input: unknown) => Promise<unknown>)(parsed));
    } catch (error) {
      if (!(error instanceof AppError)) log('terminal operation failed', { operation, error: error instanceof Error ? error.stack : String(error) });
      return { ok: false, error: toErrorBody(error) };
    }
  }

  // Payments a crash or a restart interrupted are followed to their end before anything else.
  if (settings?.deviceId) checkout.resume();
  // A terminal certified before works with its peers from the start, server or no server.
  if (settings?.deviceId) lan?.start();
  if (settings) {
    startSync(settings);
  } else if (config.serverUrl && config.pairingCode) {
    // Paired from configuration; if the code is refused, staff can still pair on the screen.
    await pair({ serverUrl: config.serverUrl, code: config.pairingCode }).catch((error: unknown) =>
      log('could not pair with the configured code', { error: error instanceof Error ? error.message : String(error) }),
    );
  }
  return {
    api,
    call,
    screens,
    pictures: shelf,
    setNetworkUrls(urls) {
      networkUrls = urls;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      checkout.close();
      await sync?.stop();
      await lan?.stop();
      await pictures.close();
      await speaker.close();
      await db.close();
    },
  };
}
