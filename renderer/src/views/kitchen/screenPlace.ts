// A kitchen display that reloads or restarts comes back where the cook left it: the same ticket
// selected, the same page, and knowing which tickets it had already shown, so one that came in
// meanwhile still sounds and still counts as new. Kept for the browser tab's life (sessionStorage).
import { reactive, watch } from 'vue';
import { z } from 'zod';

const KEY = 'tillsync.kitchen.place';
const Ids = z.array(z.string().max(64)).max(1000);
// Whatever is stored is read as untrusted: an old or broken entry starts the screen afresh.
const PlaceSchema = z.object({ selected: z.string().max(64).nullable(), page: z.int().min(0).max(1000), known: Ids, looked: Ids });

function saved(): z.output<typeof PlaceSchema> | null {
  try {
    const parsed = PlaceSchema.safeParse(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface ScreenPlace {
  /** The bump bar's ticket. */
  selected: string | null;
  page: number;
  /** Tickets this screen has had: one not among them is new, and sounds. */
  known: Set<string>;
  /** Tickets that have been on the page shown: the others beyond it count as new on the pager. */
  looked: Set<string>;
  /** False on the very first load, when what is open is not news to anyone. */
  restored: boolean;
}

export function useScreenPlace(): ScreenPlace {
  const before = saved();
  const place = reactive<ScreenPlace>({
    selected: before?.selected ?? null,
    page: before?.page ?? 0,
    known: new Set(before?.known),
    looked: new Set(before?.looked),
    restored: before !== null,
  });
  watch(
    place,
    ({ selected, page, known, looked }) => sessionStorage.setItem(KEY, JSON.stringify({ selected, page, known: [...known], looked: [...looked] })),
    { deep: true },
  );
  return place;
}

/** Forgets tickets no longer on the screen, so the lists stay as short as the rush. */
export function forgetGone(place: ScreenPlace, present: ReadonlySet<string>): void {
  for (const set of [place.known, place.looked]) for (const id of set) if (!present.has(id)) set.delete(id);
}
