// A form's round trip: busy while the server works, then each problem beside its field (by the
// path the server names) and anything else above the form, in the server's words.
import { ref } from 'vue';
import { ApiError } from './api';

export function useForm() {
  const busy = ref(false);
  /** Problems by top-level field: `timeZone`, `storeIds`. */
  const problems = ref<Record<string, string>>({});
  /** What went wrong that no field explains. */
  const message = ref<string | null>(null);

  async function submit<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    problems.value = {};
    message.value = null;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiError)) {
        message.value = String(error);
        return undefined;
      }
      const byField: Record<string, string> = {};
      for (const problem of error.problems) {
        const field = problem.path.split(/[.[]/)[0] ?? '';
        // The server's message names the field first ("timeZone: an IANA time zone …"); beside the field it need not.
        if (field) byField[field] ??= problem.message.replace(/^[^:]*: /, '');
      }
      problems.value = byField;
      if (Object.keys(byField).length === 0) message.value = error.message;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, problems, message, submit };
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
