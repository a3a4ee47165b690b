import type { EndpointState } from '@codeplanet/event-schemas';
import type { AccountScope } from '../common/account-scope.js';
import type { PageRequest } from '../common/pagination.js';

/** A projected endpoint and the stream sequence of the fact it came from. */
export interface StoredEndpoint {
  state: EndpointState;
  streamSeq: number;
}

/** Reads of account data: every method needs the caller's scope. Deleted endpoints are never returned. */
export interface EndpointsRepository {
  find(scope: AccountScope, id: string): Promise<StoredEndpoint | null>;
  /** Ordered by id; returns up to `limit + 1` rows so the caller can tell whether another page exists. */
  list(scope: AccountScope, page: PageRequest): Promise<StoredEndpoint[]>;
  /**
   * Runs `work` while holding the account's create lock, so concurrent creates cannot pass the cap together;
   * `locked` counts and writes inside that lock.
   */
  withCreateLock<T>(scope: AccountScope, work: (locked: LockedEndpoints) => Promise<T>): Promise<T>;
}

/**
 * Writes from facts (the request that published one, and the ENDPOINTS consumer). A fact is applied only if its
 * sequence is newer than the row's, so applying the same fact twice, or an older one late, changes nothing.
 */
export interface EndpointProjection {
  /** True when the row changed. */
  apply(state: EndpointState, streamSeq: number, deleted: boolean): Promise<boolean>;
}

/** The account's endpoints while its create lock is held. */
export interface LockedEndpoints extends EndpointProjection {
  countLive(): Promise<number>;
}

export const ENDPOINTS_REPOSITORY = Symbol('ENDPOINTS_REPOSITORY');
export const ENDPOINT_PROJECTION = Symbol('ENDPOINT_PROJECTION');
