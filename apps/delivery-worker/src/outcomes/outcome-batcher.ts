import { createHash } from 'node:crypto';
import type { OutcomeBatch, OutcomeFact } from '@codeplanet/event-schemas';
import type { FactPublisher, PublishRequest } from './fact-publisher.js';

type PubResult = Awaited<ReturnType<FactPublisher['publish']>>;

export interface OutcomeBatcherOptions {
  /** How long the first fact of a batch waits for more (0: every fact is published alone, at once). */
  lingerMs: number;
  /** Most facts in one message. */
  maxFacts?: number;
  /** Most estimated payload bytes in one message (NATS refuses payloads above max_payload, 1 MiB by default). */
  maxBytes?: number;
}

interface Waiting {
  request: PublishRequest;
  resolve: (result: PubResult) => void;
  reject: (error: unknown) => void;
}

interface OpenBatch {
  waiting: Waiting[];
  bytes: number;
  timer: NodeJS.Timeout | undefined;
}

export const DEFAULT_MAX_FACTS = 64;
export const DEFAULT_MAX_BYTES = 512 * 1024;
/** An attempt fact without its response body is well under this (ids, times, truncated signature headers). */
const FACT_OVERHEAD_BYTES = 2_048;
/** JSON escapes a control character as `\u00XX`: six bytes for one. */
const WORST_ESCAPE = 6;

/**
 * Groups OUTCOMES facts per subject (= per endpoint) that are published within `lingerMs` of each other into one
 * message, `{type: 'facts', facts}` (readers split it with `splitOutcome`). Every caller gets the message's
 * PubAck, so it acks its task only once its fact is stored, as before. A fact alone in its window is published
 * as it is, under its own msgID. A batch's msgID is derived from its facts' msgIDs, so a retried publish of the
 * same batch is stored once; a crash before the tasks are acked re-runs their attempts, which then form other
 * batches and are recorded again, as the new attempts they are (the projections store a repeated final fact once).
 *
 * Only for facts no one else writes under the same msgID: the worker uses it for first attempts, whose facts the
 * scheduler's max-deliveries reconcile never duplicates.
 */
export class OutcomeBatcher implements FactPublisher {
  private readonly open = new Map<string, OpenBatch>();
  private readonly maxFacts: number;
  private readonly maxBytes: number;

  constructor(
    private readonly target: FactPublisher,
    private readonly options: OutcomeBatcherOptions,
  ) {
    this.maxFacts = options.maxFacts ?? DEFAULT_MAX_FACTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  publish(request: PublishRequest): Promise<PubResult> {
    if (this.options.lingerMs <= 0 || request.headers || request.expectLastSubjectSequence !== undefined) {
      return this.target.publish(request);
    }
    const bytes = estimatedBytes(request.payload);
    let batch = this.open.get(request.subject);
    if (batch && batch.bytes + bytes > this.maxBytes) {
      this.flush(request.subject);
      batch = undefined;
    }
    if (!batch) {
      batch = { waiting: [], bytes: 0, timer: undefined };
      const subject = request.subject;
      batch.timer = setTimeout(() => this.flush(subject), this.options.lingerMs);
      this.open.set(subject, batch);
    }
    const open = batch;
    const result = new Promise<PubResult>((resolve, reject) => {
      open.waiting.push({ request, resolve, reject });
    });
    open.bytes += bytes;
    if (open.waiting.length >= this.maxFacts) this.flush(request.subject);
    return result;
  }

  /** Publishes every open batch now, without waiting for the timers. */
  flushAll(): void {
    for (const subject of [...this.open.keys()]) this.flush(subject);
  }

  /** Facts waiting in open batches. */
  get pending(): number {
    let count = 0;
    for (const batch of this.open.values()) count += batch.waiting.length;
    return count;
  }

  private flush(subject: string): void {
    const batch = this.open.get(subject);
    if (!batch) return;
    this.open.delete(subject);
    clearTimeout(batch.timer);
    const { waiting } = batch;
    const only = waiting.length === 1 ? waiting[0] : undefined;
    const request: PublishRequest = only ? only.request : batchRequest(subject, waiting);
    this.target.publish(request).then(
      (result) => waiting.forEach((w) => w.resolve(result)),
      (error: unknown) => waiting.forEach((w) => w.reject(error)),
    );
  }
}

function batchRequest(subject: string, waiting: readonly Waiting[]): PublishRequest {
  const digest = createHash('sha256');
  for (const w of waiting) digest.update(w.request.msgId).update('\n');
  const payload: OutcomeBatch = {
    type: 'facts',
    facts: waiting.map((w) => w.request.payload as OutcomeFact),
  };
  return { subject, payload, msgId: `facts:${digest.digest('base64url').slice(0, 32)}` };
}

function estimatedBytes(payload: unknown): number {
  const body = (payload as { response_body?: unknown } | null)?.response_body;
  return FACT_OVERHEAD_BYTES + (typeof body === 'string' ? body.length * WORST_ESCAPE : 0);
}
