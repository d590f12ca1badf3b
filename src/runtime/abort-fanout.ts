/**
 * One abort listener per signal, however many runs share it. A scheduler often gives every task of
 * a run the same signal; with hundreds of tasks in flight, a listener per task makes each
 * `addEventListener` scan a long list (Node's EventTarget checks for duplicates).
 */

/** Something to abort when its signal fires. */
export interface AbortWatcher {
  onAbort(): void;
}

const watchers = new WeakMap<AbortSignal, Set<AbortWatcher>>();

/** Calls `watcher.onAbort()` when `signal` aborts, until {@link unwatchAbort}. */
export function watchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  let set = watchers.get(signal);
  if (!set) {
    const created = new Set<AbortWatcher>();
    set = created;
    watchers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const w of [...created]) w.onAbort();
        created.clear();
      },
      { once: true },
    );
  }
  set.add(watcher);
}

/** Stops watching. */
export function unwatchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  watchers.get(signal)?.delete(watcher);
}
