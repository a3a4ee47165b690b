import { Inject, Injectable } from '@nestjs/common';
import { exampleEvent, type EventType } from '@codeplanet/event-schemas';
import { AuditTrail } from '../audit/audit-trail.js';
import type { AccountScope } from '../common/account-scope.js';
import type { RequestContext } from '../common/request-context.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';
import { EndpointSupport } from './endpoint-support.js';

/**
 * `POST /v1/endpoints/:id/test`: the catalogue example with a fresh id and `test: true`, published to EVENTS
 * with the target-endpoint header so the fan-out delivers it to this endpoint only, whatever its filter.
 */
@Injectable()
export class EndpointTestsService {
  constructor(
    @Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher,
    private readonly support: EndpointSupport,
    private readonly audit: AuditTrail,
  ) {}

  async send(scope: AccountScope, context: RequestContext, id: string, type: EventType): Promise<string> {
    const { state } = await this.support.load(scope, id);
    const event = exampleEvent(type, { account_id: state.account_id, test: true });
    await this.publisher.event(event, { targetEndpointId: state.id });
    await this.audit.record(context, {
      action: 'endpoint.test',
      accountId: state.account_id,
      target: { kind: 'endpoint', id },
      details: { event_id: event.id, event_type: type },
    });
    return event.id;
  }
}
