// The draft the menu editor works on: loaded once, changed in place, checked as it changes by the
// very function the server publishes with (so the editor and the API list the same problems),
// and saved a moment after the last change. A save over someone else's is refused, never merged.
import { computed, onBeforeUnmount, reactive, ref, toRaw, watch } from 'vue';
import type { Problem } from '#protocol/errors';
import { menuProblems } from '#menus/menuProblems';
import { api, ApiError } from '../api';
import type { EditedMenu } from './editedMenu';

/** How long the editor waits after the last keystroke before it saves: long enough to finish a word. */
const SAVE_AFTER_MS = 800;
/** How long it waits before checking the whole document again: a 5,000-item menu takes a moment. */
const CHECK_AFTER_MS = 150;

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

interface DraftAnswer {
  id: string;
  name: string;
  revision: number;
  document: EditedMenu;
  problems: Problem[];
}

export function useDraft(draftId: string) {
  const document = ref<EditedMenu | null>(null);
  const revision = ref(0);
  const state = ref<SaveState>('saved');
  const failure = ref<string | null>(null);
  const problems = ref<Problem[]>([]);
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();
  let loaded = false;

  async function load(): Promise<void> {
    const draft = await api<DraftAnswer>('GET', `/menu-drafts/${draftId}`);
    loaded = false;
    document.value = reactive(draft.document) as EditedMenu;
    revision.value = draft.revision;
    problems.value = draft.problems;
    state.value = 'saved';
    failure.value = null;
    // The deep watch below fires for this assignment; the document was not changed by anyone.
    queueMicrotask(() => (loaded = true));
  }

  const check = () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => document.value && (problems.value = menuProblems(toRaw(document.value))), CHECK_AFTER_MS);
  };

  async function save(): Promise<void> {
    clearTimeout(saveTimer);
    if (!document.value || state.value === 'conflict') return;
    await saving;
    if (state.value === 'saved') return;
    state.value = 'saving';
    const sent = JSON.stringify(document.value);
    saving = api<{ revision: number; problems: Problem[] }>('PUT', `/menu-drafts/${draftId}`, { revision: revision.value, document: JSON.parse(sent) })
      .then((answer) => {
        revision.value = answer.revision;
        failure.value = null;
        // Changed again while it was on its way: that change is still to save.
        state.value = JSON.stringify(document.value) === sent ? 'saved' : 'unsaved';
        if (state.value === 'unsaved') schedule();
      })
      .catch((error: unknown) => {
        state.value = error instanceof ApiError && error.code === 'DRAFT_CHANGED' ? 'conflict' : 'failed';
        failure.value = (error as Error).message;
      });
    await saving;
  }

  const schedule = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), SAVE_AFTER_MS);
  };

  watch(
    document,
    () => {
      if (!loaded) return;
      state.value = state.value === 'conflict' ? 'conflict' : 'unsaved';
      check();
      schedule();
    },
    { deep: true },
  );

  // Leaving the page saves what is left, and the browser warns if it cannot be.
  const warn = (event: BeforeUnloadEvent) => {
    if (state.value !== 'saved') event.preventDefault();
  };
  window.addEventListener('beforeunload', warn);
  onBeforeUnmount(() => {
    window.removeEventListener('beforeunload', warn);
    clearTimeout(checkTimer);
    if (state.value === 'unsaved') void save();
  });

  /** The problems under a path of the document (`items[3]`), by the rest of their path (`.priceCents`). */
  const problemsAt = (prefix: string) => {
    const found = new Map<string, string>();
    for (const problem of problems.value) {
      if (problem.path !== prefix && !problem.path.startsWith(`${prefix}.`) && !problem.path.startsWith(`${prefix}[`)) continue;
      // Beside a field its own name need not be repeated: "price: must not be negative" → "must not be negative".
      // The first problem of a field shows; the list beside the editor has every one.
      const field = problem.path.slice(prefix.length);
      if (!found.has(field)) found.set(field, problem.message.replace(/^.*?: /, ''));
    }
    return found;
  };

  return { document, revision, state, failure, problems, problemCount: computed(() => problems.value.length), load, save, problemsAt };
}
