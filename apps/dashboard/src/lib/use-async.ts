import { useCallback, useEffect, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the data locally (after a mutation returned the new value). */
  set: (value: T) => void;
}

interface Settled<T> {
  run: string | null;
  data?: T | undefined;
  error?: unknown;
}

/**
 * Runs `load` when `deps` change and on `reload()`. The last data stays shown while a new run is on its way;
 * answers of an earlier run are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [settled, setSettled] = useState<Settled<T>>({ run: null });
  const [tick, setTick] = useState(0);
  // One key per run: the same deps and reload count give the same key, so a re-render starts nothing.
  const run = `${identityKey(deps)}#${tick}`;

  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setSettled({ run, data });
      },
      (error: unknown) => {
        if (current) setSettled((previous) => ({ run, data: previous.data, error }));
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback(
    (data: T) => setSettled((previous) => ({ ...previous, data, error: undefined })),
    [],
  );
  return { data: settled.data, error: settled.error, loading: settled.run !== run, reload, set };
}

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A string that changes exactly when one of the values changes (objects compare by identity, like hook deps). */
export function identityKey(values: readonly unknown[]): string {
  return values
    .map((value) => {
      if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
        let id = ids.get(value);
        if (id === undefined) {
          id = ++nextId;
          ids.set(value, id);
        }
        return `#${id}`;
      }
      return `${typeof value}:${String(value)}`;
    })
    .join('|');
}
