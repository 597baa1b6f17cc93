// When a kiosk shows a newly received menu version. The feed stores the version and moves the
// cursor at once, in order, as for any change (PROTOCOL.md §4); the kiosk's screens go on showing
// the version before it, and taking orders on it, while the pictures the new version names and the
// kiosk lacks are fetched from the sync server, a few at a time. The screens switch once each of
// them has been tried, or after SWITCH_WAIT_MS whatever is left: a picture that could not be had
// shows its placeholder and is fetched again later (every few minutes, and when the connection
// comes back). Kitchen displays and boards show no pictures: they switch at once and fetch none.
//
// What is shown lives in memory: after a restart the kiosk shows the newest version it holds at
// once, and fetches what it lacks of it meanwhile.
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageId, type MenuDocument } from '#protocol/menu';
import type { TerminalReader } from '../db/terminalDb';
import type { MenuCache } from './menuStore';
import { fileNameOf, isWebp, MAX_PICTURE_FILE_BYTES, PICTURE_SIZES, type PictureFile, type PictureShelf } from './pictureShelf';

/** A few at a time: quick over a shop's link, and no burden on the server when a chain publishes. */
const PARALLEL_DOWNLOADS = 4;
/** The longest a new version waits for its pictures; a publish reaches every kiosk within it. */
export const SWITCH_WAIT_MS = 60_000;
/** One picture, answer and bytes: a full-size picture over a poor link fits well within it. */
const DOWNLOAD_TIMEOUT_MS = 30_000;
const RETRY_MS = 5 * 60_000;
/** A server that says it is busy without saying for how long is asked again after this. */
const BUSY_WAIT_MS = 30_000;
/** A Retry-After further off than this (a wrong clock, a typo) is taken as this. */
const LONGEST_WAIT_MS = 60 * 60_000;

type Pictured = Pick<MenuDocument, 'categories' | 'items'>;
type Outcome = 'kept' | 'later' | 'failed';

/** The uploaded pictures a menu names; bundled ones ship with the screens. */
export function picturesOf(menu: Partial<Pictured>): Set<string> {
  const images = [...(menu.categories ?? []), ...(menu.items ?? [])].map((entry) => entry.image);
  return new Set(images.filter((image): image is string => image !== undefined && ImageId.safeParse(image).success));
}

const filesOf = (ids: Iterable<string>): PictureFile[] => [...ids].flatMap((id) => PICTURE_SIZES.map((size) => ({ id, size })));

/** A Retry-After header (seconds, or an HTTP date) as milliseconds after `now`; null when unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = /^\s*(\d+)\s*$/.exec(header)?.[1];
  // A date names its day and month in letters; Date.parse alone would read "-5" as a year.
  const ms = seconds !== undefined ? Number(seconds) * 1000 : /[a-z]{3}/i.test(header) ? Date.parse(header) - now : NaN;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), LONGEST_WAIT_MS) : null;
}

/** The body, or null when it is larger than `limit` (read no further than that). */
async function readAtMost(response: Response, limit: number): Promise<Buffer | null> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body ?? []) {
    length += chunk.byteLength;
    if (length > limit) return null; // leaving the loop cancels the rest of the body
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface MenuPicturesDeps {
  shelf: PictureShelf;
  menus: MenuCache;
  read: TerminalReader;
  /** The newest version the feed has applied: the store's menu now. */
  newest(): string | null;
  /** Kiosks show pictures; kitchen displays and boards do not. */
  showsPictures(): boolean;
  /** The version shown changed: the screens should read the menu again. */
  onSwitch(): void;
  log(message: string, fields?: Record<string, unknown>): void;
  /** How long a new version waits for its pictures (SWITCH_WAIT_MS unless a test shortens it). */
  switchWaitMs?: number;
}

export class MenuPictures {
  private shown: string | null;
  /** The pictures of the version shown, kept even if SQLite has let that version go. */
  private shownPictures: { versionId: string | null; ids: Set<string> } = { versionId: null, ids: new Set() };
  /** The newest version, while its pictures are being fetched. */
  private preparing: { versionId: string; ids: Set<string>; deadline: NodeJS.Timeout } | null = null;
  private serverUrl: string | null = null;
  private queue: PictureFile[] = [];
  private readonly downloading = new Map<string, PictureFile>();
  /** Files tried since the last retry that could not be had. */
  private readonly failed = new Set<string>();
  private readonly workers = new Set<Promise<void>>();
  /** No download before this (a server's Retry-After). */
  private notBefore = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private planned: string | null = null;
  private pruned = false;
  private lastProblem = '';
  /** Plans and prunes, one at a time. */
  private work: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();
  /** The pictures each version names: versions never change, so each is read once. */
  private readonly named = new Map<string, Promise<Set<string> | null>>();

  constructor(private readonly deps: MenuPicturesDeps) {
    this.shown = deps.newest();
  }

  /** Pictures come from this server (the one the terminal syncs with); starts fetching. */
  fetchFrom(serverUrl: string): void {
    this.serverUrl = serverUrl;
    this.retry();
  }

  /** The version the screens show: the newest, once its pictures have been tried. */
  async shownVersion(): Promise<string | null> {
    this.schedule(() => this.plan(false));
    await this.work;
    return this.shown;
  }

  /** The feed may have brought a new version. */
  menuChanged(): void {
    this.schedule(() => this.plan(false));
  }

  /** Tries again every picture that could not be had (the connection is back, or it is time). */
  retry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failed.clear();
    this.schedule(() => this.plan(true));
  }

  async close(): Promise<void> {
    this.stopping.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.preparing) clearTimeout(this.preparing.deadline);
    await Promise.allSettled([...this.workers]);
    await this.work;
  }

  private async picturesIn(versionId: string): Promise<Set<string>> {
    let ids = this.named.get(versionId);
    if (!ids) {
      ids = this.deps.menus.document(versionId).then((document) => (document ? picturesOf(document) : null));
      this.named.set(versionId, ids);
      // A version not stored yet may come: only one that was found is remembered.
      void ids.then((found) => found || this.named.delete(versionId), () => this.named.delete(versionId));
    }
    return (await ids) ?? new Set();
  }

  private schedule(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => this.deps.log('menu pictures: a step failed', { error: error instanceof Error ? error.message : String(error) }));
  }

  /** Decides what to fetch for the version shown and the newest, and switches if nothing is missing. */
  private async plan(force: boolean): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const newest = this.deps.newest();
    if (!newest) return;
    if (!this.deps.showsPictures()) {
      if (newest !== this.shown) this.switchTo(newest, new Set());
      return;
    }
    if (newest === this.shown) this.cancelPreparing();
    else if (this.preparing?.versionId !== newest) {
      if (!(await this.deps.menus.document(newest))) return;
      this.cancelPreparing();
      const deadline = setTimeout(() => this.switchBeforeAllArrived(), this.deps.switchWaitMs ?? SWITCH_WAIT_MS);
      deadline.unref();
      this.preparing = { versionId: newest, ids: await this.picturesIn(newest), deadline };
      // A new version tries its pictures afresh, even those that failed a moment ago.
      for (const file of filesOf(this.preparing.ids)) this.failed.delete(fileNameOf(file));
    }
    if (this.shownPictures.versionId !== this.shown && this.shown) {
      this.shownPictures = { versionId: this.shown, ids: await this.picturesIn(this.shown) };
    }
    const plan = `${this.shown} ${this.preparing?.versionId}`;
    if (plan === this.planned && !force) return;
    this.planned = plan;
    const wanted = filesOf(new Set([...this.shownPictures.ids, ...(this.preparing?.ids ?? [])]));
    this.queue = wanted.filter((file) => {
      const name = fileNameOf(file);
      return !this.downloading.has(name) && !this.failed.has(name) && !this.deps.shelf.has(file);
    });
    this.startDownloads();
    this.switchIfReady();
    if (!this.pruned) await this.prune();
  }

  private cancelPreparing(): void {
    if (this.preparing) clearTimeout(this.preparing.deadline);
    this.preparing = null;
  }

  /** The newest version is shown once none of its pictures waits to be fetched. */
  private switchIfReady(): void {
    const preparing = this.preparing;
    if (!preparing) return;
    const waiting = [...this.queue, ...this.downloading.values()].some((file) => preparing.ids.has(file.id));
    if (!waiting) this.switchTo(preparing.versionId, preparing.ids);
  }

  private switchBeforeAllArrived(): void {
    const preparing = this.preparing;
    if (!preparing) return;
    const waiting = [...this.queue, ...this.downloading.values()].filter((file) => preparing.ids.has(file.id)).length;
    this.deps.log('showing the new menu before all its pictures arrived; they go on downloading', { menuVersionId: preparing.versionId, waiting });
    this.switchTo(preparing.versionId, preparing.ids);
  }

  private switchTo(versionId: string, ids: Set<string>): void {
    this.cancelPreparing();
    const changed = versionId !== this.shown;
    this.shown = versionId;
    this.shownPictures = { versionId, ids };
    if (!changed) return;
    this.deps.onSwitch();
    this.schedule(() => this.prune());
  }

  private startDownloads(): void {
    if (!this.serverUrl) {
      for (const file of this.queue.splice(0)) this.failed.add(fileNameOf(file));
      this.lastProblem = 'this terminal does not talk to a server';
      return this.retryLater();
    }
    // Counted first: each worker takes a file off the queue as it starts.
    for (let more = Math.min(PARALLEL_DOWNLOADS - this.workers.size, this.queue.length); more > 0; more--) {
      const worker: Promise<void> = this.downloadQueue().finally(() => {
        this.workers.delete(worker);
        if (this.workers.size === 0) this.retryLater();
      });
      this.workers.add(worker);
    }
  }

  private async downloadQueue(): Promise<void> {
    for (;;) {
      const wait = this.notBefore - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal: this.stopping.signal, ref: false }).catch(() => {});
      if (this.stopping.signal.aborted) return;
      const file = this.queue.shift();
      if (!file) return;
      const name = fileNameOf(file);
      this.downloading.set(name, file);
      let outcome: Outcome;
      try {
        outcome = await this.download(file);
      } finally {
        this.downloading.delete(name);
      }
      if (outcome === 'later') this.queue.push(file);
      if (outcome === 'failed') this.failed.add(name);
      this.switchIfReady();
    }
  }

  /** One file from the server: kept, to ask again after the server's wait, or not to be had now. */
  private async download(file: PictureFile): Promise<Outcome> {
    const url = new URL(`/media/${fileNameOf(file)}`, this.serverUrl!);
    try {
      // The route is public (an id is unguessable, and the picture is on the menu anyway), so the
      // device token is not sent. A redirect is refused: pictures come from the sync server only.
      const response = await fetch(url, { redirect: 'error', signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
      if (response.status === 429 || response.status === 503) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? BUSY_WAIT_MS;
        this.notBefore = Math.max(this.notBefore, Date.now() + wait);
        return 'later';
      }
      if (!response.ok) {
        await response.body?.cancel();
        this.lastProblem = `the server answered ${response.status} for ${fileNameOf(file)}`;
        return 'failed';
      }
      const bytes = await readAtMost(response, MAX_PICTURE_FILE_BYTES);
      if (!bytes || !isWebp(bytes)) {
        this.lastProblem = `${fileNameOf(file)} from the server is not a whole WebP file of at most ${MAX_PICTURE_FILE_BYTES / 1024 / 1024} MiB`;
        return 'failed';
      }
      if (this.stopping.signal.aborted) return 'failed';
      await this.deps.shelf.put(file, bytes);
      return 'kept';
    } catch (error) {
      this.lastProblem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      return 'failed';
    }
  }

  private retryLater(): void {
    if (this.failed.size === 0 || this.retryTimer || this.stopping.signal.aborted) return;
    const delay = Math.max(RETRY_MS, this.notBefore - Date.now());
    this.deps.log('some menu pictures could not be fetched; their items show a placeholder until they are', { files: this.failed.size, problem: this.lastProblem, retryInMs: delay });
    this.retryTimer = setTimeout(() => this.retry(), delay);
    this.retryTimer.unref();
  }

  /**
   * Removes the pictures no version this kiosk keeps names: not those of a version kept in SQLite
   * (a customer may still be ordering from it), shown, or on its way.
   */
  private async prune(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.pruned = true;
    const keep = new Set([...this.shownPictures.ids, ...(this.preparing?.ids ?? [])]);
    for (const { id: versionId } of await this.deps.read.menuVersion.findMany({ select: { id: true } })) {
      for (const id of await this.picturesIn(versionId)) keep.add(id);
    }
    const busy = new Set([...this.downloading.values()].map((file) => file.id));
    const removed = await this.deps.shelf.prune(keep, busy);
    if (removed > 0) this.deps.log('removed menu pictures that no kept menu version names', { files: removed });
  }
}
