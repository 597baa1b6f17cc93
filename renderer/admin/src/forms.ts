// A form's round trip: busy while the server works, then each problem beside its field (by the
// path the server names) and anything else above the form, in the server's words.
import { reactive, ref, watch } from 'vue';
import { api, ApiError, type Store, type StoreChange } from './api';

export function useForm() {
  const busy = ref(false);
  /** Problems by top-level field: `timeZone`, `storeIds`. */
  const problems = ref<Record<string, string>>({});
  /** Problems by the whole path, for a field inside another: `kiosk.brandColour`. */
  const problemsAt = ref<Record<string, string>>({});
  /** What went wrong that no field explains. */
  const message = ref<string | null>(null);

  async function submit<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    problems.value = {};
    problemsAt.value = {};
    message.value = null;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiError)) {
        message.value = String(error);
        return undefined;
      }
      const byField: Record<string, string> = {};
      const byPath: Record<string, string> = {};
      for (const problem of error.problems) {
        const field = problem.path.split(/[.[]/)[0] ?? '';
        // The server's message names the field first ("timeZone: an IANA time zone …"); beside the field it need not.
        const said = problem.message.replace(/^[^:]*: /, '');
        if (field) byField[field] ??= said;
        if (problem.path) byPath[problem.path] ??= said;
      }
      problems.value = byField;
      problemsAt.value = byPath;
      if (Object.keys(byField).length === 0) message.value = error.message;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, problems, problemsAt, message, submit };
}

/**
 * A form over part of a store's settings: its fields as `fieldsOf` lays them out for typing, sent
 * as the change `changeOf` makes of them; the store as saved fills the form again and goes to `saved`.
 */
export function useStoreForm<Fields extends object>(
  store: () => Store,
  fieldsOf: (store: Store) => Fields,
  changeOf: (form: Fields) => StoreChange,
  saved: (store: Store) => void,
) {
  const round = useForm();
  // A plain object of fields, made reactive: the form reads and writes it as it was laid out.
  const form = reactive(fieldsOf(store())) as Fields;
  const done = ref(false);
  // The page reads the store again every few seconds: what is being typed stays, until another store is shown.
  watch(
    () => store().id,
    () => Object.assign(form, fieldsOf(store())),
  );
  async function save() {
    done.value = false;
    const answer = await round.submit(() => api<Store>('PATCH', `/stores/${store().id}`, changeOf(form)));
    if (!answer) return;
    Object.assign(form, fieldsOf(answer));
    done.value = true;
    saved(answer);
  }
  return { ...round, form, saved: done, save };
}

/**
 * What a page reads to show itself: a failure is kept (in the server's words) to show above the
 * page, and cleared by the next read that works.
 */
export function useLoader(read: () => Promise<void>) {
  const error = ref<string | null>(null);
  async function load(): Promise<void> {
    try {
      await read();
      error.value = null;
    } catch (failure) {
      error.value = (failure as Error).message;
    }
  }
  return { error, load };
}

/** An instant as head office reads it, in the browser's own locale and time zone. */
export const formatTime = (iso: string | null, never = '—') =>
  iso ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : never;

/** A tax rate in basis points as a form shows it: per cent (9, 5.5). */
export const percentOf = (basisPoints: number) => String(basisPoints / 100);

/** A per-cent figure typed in a form, in basis points for the API; not a number (or nothing) stays so, for the server to name. */
export const basisPointsOf = (percent: string) => (percent.trim() === '' ? Number.NaN : Math.round(Number(percent.trim().replace(',', '.')) * 100));

/** An instant on a store's own clock: the time alone today there, with the date on other days. */
export function formatStoreTime(iso: string, timeZone: string): string {
  const day = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
  const at = new Date(iso);
  const today = day(at) === day(new Date());
  return new Intl.DateTimeFormat(undefined, { timeZone, ...(today ? {} : { day: 'numeric', month: 'short' }), hour: 'numeric', minute: '2-digit' }).format(at);
}
