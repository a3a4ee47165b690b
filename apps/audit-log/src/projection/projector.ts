import type { EntityManager } from 'typeorm';
import type { AttemptView, DeliveryView } from '../views/views.js';

/** The streams audit-log projects (DELIVERIES and RETRIES are work queues for the worker, not history). */
export const PROJECTED_STREAMS = ['accounts', 'endpoints', 'events', 'outcomes', 'audit'] as const;
export type ProjectedStream = (typeof PROJECTED_STREAMS)[number];

/** One message of a batch, already JSON-parsed (`undefined` when it was not JSON). */
export interface RawFact {
  seq: number;
  subject: string;
  value: unknown;
}

/** What the live tail announces after a batch commits. */
export type LiveChange = { kind: 'delivery'; row: DeliveryView } | { kind: 'attempt'; row: AttemptView };

export interface ApplyOptions {
  /**
   * Someone follows the live tail: return the changed rows with the statements. Without listeners the statements
   * return nothing; reading the returned rows back into objects was about a third of this app's CPU per delivery.
   */
  liveChanges: boolean;
}

export interface ApplyResult {
  /** The batch's live changes; empty when applied without `liveChanges`. */
  changes: LiveChange[];
  /** Facts that could not be read; they are skipped (and counted), never retried. */
  invalid: number;
  /** The batch recorded a retention purge request: run it once the batch has committed (never inside it). */
  purgeRequested?: boolean;
  /**
   * Reads the batch's changes from the committed tables, for a batch applied without `liveChanges` when a listener
   * subscribed while it ran (else the listener would miss them: it reloads its list once, then follows the tail).
   */
  readChanges?: (db: EntityManager) => Promise<LiveChange[]>;
}

/** Turns one batch of a stream's facts into rows, inside the batch's transaction. */
export interface StreamProjector {
  readonly stream: ProjectedStream;
  apply(tx: EntityManager, facts: readonly RawFact[], options: ApplyOptions): Promise<ApplyResult>;
}
