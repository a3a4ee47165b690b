import type { JsMsg } from '@codeplanet/jetstream';

/** What `batchesOf` needs of a consumer's messages (nats.js ConsumerMessages fits). */
export interface MessageSource {
  /** Messages received and not yet taken. */
  getPending(): number;
  /** Stops receiving; the iterator ends once what it holds has been taken. */
  stop(): void;
  [Symbol.asyncIterator](): AsyncIterator<JsMsg>;
}

const LINGER_OVER = Symbol('linger over');

/**
 * Groups a consumer's messages into batches. A batch ends when it holds `batchSize` messages, or when nothing more
 * has been received and `lingerMs` have passed since its first message: a projection's cost is mostly per batch
 * (a transaction, a few statements), so on a busy stream waiting a few milliseconds for more messages costs far
 * less than applying them in many tiny batches. With `lingerMs` 0, a batch ends as soon as the buffer is empty.
 */
export async function* batchesOf(
  messages: MessageSource,
  batchSize: number,
  lingerMs: number,
): AsyncGenerator<JsMsg[]> {
  const iterator = messages[Symbol.asyncIterator]();
  const next = (): Promise<IteratorResult<JsMsg>> => {
    const promise = iterator.next();
    // Still pending when the caller stops early; its rejection must not go unhandled.
    promise.catch(() => undefined);
    return promise;
  };
  let pending = next();
  let outstanding = true; // `pending` has not been awaited to its result yet
  let batch: JsMsg[] = [];
  let deadline = 0;
  let lingers = false;
  try {
    for (;;) {
      const result = lingers ? await lingering(pending, deadline - Date.now()) : await pending;
      if (result === LINGER_OVER) {
        yield batch;
        batch = [];
        lingers = false;
        continue;
      }
      outstanding = false;
      if (result.done) return;
      if (batch.length === 0) deadline = Date.now() + lingerMs;
      batch.push(result.value);
      // Read before asking for the next message: nats.js counts a taken status entry as pending until more arrive.
      const empty = messages.getPending() === 0;
      if (batch.length >= batchSize || (empty && Date.now() >= deadline)) {
        yield batch;
        batch = [];
      }
      lingers = batch.length > 0 && empty;
      pending = next();
      outstanding = true;
    }
  } finally {
    // The caller may stop early (a `break`, or a throw while applying a batch). nats.js processes a stop (and so
    // resolves `close()`) only while someone iterates, so stop the source and drain it here; otherwise the
    // caller's `await messages.close()` would never resolve.
    messages.stop();
    try {
      let rest = outstanding ? await pending : await iterator.next();
      while (!rest.done) rest = await iterator.next();
    } catch {
      // a failed iterator is ended too
    }
  }
}

async function lingering<T>(promise: Promise<T>, ms: number): Promise<T | typeof LINGER_OVER> {
  if (ms <= 0) return LINGER_OVER;
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<typeof LINGER_OVER>((resolve) => {
    timer = setTimeout(() => resolve(LINGER_OVER), ms);
  });
  try {
    return await Promise.race([promise, over]);
  } finally {
    clearTimeout(timer);
  }
}
