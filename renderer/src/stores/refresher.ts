/**
 * Wraps a load so that bursts of change events cause at most one load in flight and one after it:
 * a kitchen screen receiving fifty changes at once re-reads its tickets twice, not fifty times.
 */
export function coalesced(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await load();
      } while (again);
    })().finally(() => (running = null));
    return running;
  };
  return run;
}
