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

export interface ApplyResult {
  changes: LiveChange[];
  /** Facts that could not be read; they are skipped (and counted), never retried. */
  invalid: number;
  /** The batch recorded a retention purge request: run it once the batch has committed (never inside it). */
  purgeRequested?: boolean;
}

/** Turns one batch of a stream's facts into rows, inside the batch's transaction. */
export interface StreamProjector {
  readonly stream: ProjectedStream;
  apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult>;
}
