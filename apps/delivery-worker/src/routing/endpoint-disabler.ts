import type { EndpointFact, Topology } from '@codeplanet/event-schemas';
import type { FactPublisher } from '../outcomes/fact-publisher.js';
import type { RoutingTable } from './routing-table.js';

export interface DisablerLog {
  log(message: string): void;
  warn(message: string): void;
}

const ATTEMPTS = 4;

/**
 * Disables an endpoint that answered 410 Gone: an `endpoint.disabled` fact on ENDPOINTS, written with the subject
 * sequence the routing map holds so a concurrent change by subscriptions-api (or another worker) is not
 * overwritten; on a lost race it re-reads the map and tries again. Failures are logged, never thrown: the next
 * 410 tries again.
 */
export class EndpointDisabler {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly routing: RoutingTable,
    private readonly publisher: FactPublisher,
    private readonly topology: Topology,
    private readonly log: DisablerLog,
    private readonly isWrongLastSequence: (error: unknown) => boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  disableGone(endpointId: string): Promise<void> {
    const running = this.pending.get(endpointId);
    if (running) return running;
    const work = this.run(endpointId).finally(() => this.pending.delete(endpointId));
    this.pending.set(endpointId, work);
    return work;
  }

  private async run(endpointId: string): Promise<void> {
    for (let round = 1; round <= ATTEMPTS; round += 1) {
      const route = this.routing.get(endpointId);
      if (!route || !route.enabled) return;
      const now = new Date(this.clock()).toISOString();
      const fact: EndpointFact = {
        type: 'endpoint.disabled',
        endpoint: {
          ...route.state,
          enabled: false,
          disabled_reason: 'gone_410',
          updated_at: now,
          version: route.state.version + 1,
        },
        actor: 'delivery-worker',
        occurred_at: now,
      };
      try {
        const ack = await this.publisher.publish({
          subject: this.topology.endpoint(route.accountId, route.id),
          payload: fact,
          msgId: `${route.id}:v${fact.endpoint.version}:disabled`,
          expectLastSubjectSequence: route.subjectSeq,
        });
        // Apply at once so the next tasks for it see the change before the ENDPOINTS feed brings it back.
        this.routing.apply(fact, ack.seq);
        this.log.log(`endpoint ${route.id} disabled: it answered 410 Gone`);
        return;
      } catch (error) {
        if (!this.isWrongLastSequence(error)) {
          this.log.warn(`could not disable endpoint ${route.id} after 410: ${String(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * round));
      }
    }
    this.log.warn(`gave up disabling endpoint ${endpointId} after 410: its subject kept changing`);
  }
}
