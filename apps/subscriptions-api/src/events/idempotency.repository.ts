import type { StoredRequest } from './idempotency.js';

/** Keys are per caller: `scope` is the producer's identity (`admin`, `service:<n>`), so callers cannot collide. */
export interface IdempotencyRepository {
  find(scope: string, key: string): Promise<StoredRequest | null>;
  /** Inserts the request, or takes over an expired one; false when a live row already holds the key. */
  claim(scope: string, key: string, request: StoredRequest, expiredBefore: Date): Promise<boolean>;
  markDone(scope: string, key: string): Promise<void>;
  deleteOlderThan(cutoff: Date): Promise<number>;
}

export const IDEMPOTENCY_REPOSITORY = Symbol('IDEMPOTENCY_REPOSITORY');
