import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EndpointFact, EndpointState } from '@codeplanet/event-schemas';
import { appMetrics } from '../common/app-metrics.js';
import { ConcurrentChange } from '../common/errors.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';
import { ENDPOINT_PROJECTION, type EndpointProjection } from './endpoints.repository.js';
import type { Transition } from './endpoint-state.js';

/**
 * The one way endpoint state changes: append the fact to ENDPOINTS with expected-last-subject-sequence (the
 * sequence our projection row was built from), then update the projection row in the same request so the caller
 * reads its own write. Losing the race rejects with 409 before anything is written.
 */
@Injectable()
export class EndpointWriter {
  private readonly logger = new Logger('EndpointWriter');

  constructor(
    @Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher,
    @Inject(ENDPOINT_PROJECTION) private readonly projection: EndpointProjection,
  ) {}

  /** `projection` defaults to the shared one; a create passes the one bound to its lock's transaction. */
  async write(
    transition: Transition,
    expectedSeq: number,
    actor: string,
    projection: EndpointProjection = this.projection,
  ): Promise<EndpointState> {
    const fact: EndpointFact = {
      type: transition.type,
      endpoint: transition.state,
      actor,
      occurred_at: transition.state.updated_at,
    };
    const seq = await this.publisher.endpointFact(fact, expectedSeq).catch((err: unknown) => {
      if (err instanceof ConcurrentChange) appMetrics.endpointConflicts.inc();
      throw err;
    });
    appMetrics.endpointFacts.inc({ type: fact.type });
    try {
      await projection.apply(transition.state, seq, transition.type === 'endpoint.deleted');
    } catch (err) {
      // The fact is recorded, so the change happened; the ENDPOINTS consumer will project it when it can.
      this.logger.warn(
        `endpoint ${transition.state.id} seq ${seq} not projected yet: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return transition.state;
  }
}
