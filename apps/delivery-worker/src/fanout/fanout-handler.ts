import { TARGET_ENDPOINT_HEADER, type Topology } from '@codeplanet/event-schemas';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { publishAll, type FactPublisher } from '../outcomes/fact-publisher.js';
import { planFanout, type RouteMatcher } from './fanout-plan.js';

/** The part of an EVENTS message the fan-out reads (JsMsg fits). */
export interface EventMessage {
  readonly data: Uint8Array;
  readonly subject: string;
  readonly seq: number;
  readonly headers?: { get(name: string): string } | undefined;
  ack(): void;
}

export interface FanoutLog {
  warn(message: string): void;
}

/**
 * EVENTS → one DELIVERIES task per matching endpoint plus `event.accepted`, or `event.rejected`. All publishes go
 * out at once and the event is acked only when every one is stored; a crash in between re-runs the fan-out, and
 * the msgIDs (`<event>:<endpoint>`, `accepted:<event>`) make the re-run a no-op.
 */
export class FanoutHandler {
  constructor(
    private readonly routes: RouteMatcher,
    private readonly topology: Topology,
    private readonly publisher: FactPublisher,
    private readonly log: FanoutLog,
    private readonly metrics?: WorkerMetrics,
    private readonly clock: () => number = Date.now,
  ) {}

  readonly handle = async (msg: EventMessage): Promise<void> => {
    const target = msg.headers?.get(TARGET_ENDPOINT_HEADER) || undefined;
    const plan = planFanout(
      { data: msg.data, subject: msg.subject, streamSeq: msg.seq, targetEndpointId: target },
      this.routes,
      this.topology,
      this.clock(),
    );
    await publishAll(this.publisher, plan.publishes);
    if (plan.kind === 'rejected') {
      const reasons = plan.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      this.log.warn(`rejected EVENTS seq ${msg.seq} on ${msg.subject}: ${reasons}`);
      this.metrics?.fannedOut('rejected', 0);
    } else {
      this.metrics?.fannedOut('accepted', plan.deliveries);
    }
    msg.ack();
  };
}
