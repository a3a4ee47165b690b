import { Injectable } from '@nestjs/common';
import type { EndpointFact, EndpointState } from '@codeplanet/event-schemas';
import type { Principal } from '@codeplanet/service-kit';
import { Bus } from '../messaging/bus.js';

export interface LiveEndpoint {
  state: EndpointState;
  /** Subject sequence of the fact: the expected-last-subject-sequence of the next write. */
  seq: number;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The current state of one endpoint, read from ENDPOINTS (the log of record) rather than a projection, so a
 * route sees an endpoint created a moment ago, and an account can only ever reach its own subject.
 */
@Injectable()
export class EndpointDirectory {
  constructor(private readonly bus: Bus) {}

  /** The endpoint if it exists, is not deleted and the principal may see it; otherwise null. */
  async forPrincipal(principal: Principal, endpointId: string): Promise<LiveEndpoint | null> {
    if (!ID_PATTERN.test(endpointId)) return null;
    if (principal.kind === 'account') return this.find(principal.accountId, endpointId);
    if (principal.kind === 'admin') return this.find('*', endpointId);
    return null;
  }

  /** `accountId` may be `*` (admin): the subject's last token is the endpoint id, unique across accounts. */
  async find(accountId: string, endpointId: string): Promise<LiveEndpoint | null> {
    const topology = this.bus.topology;
    const msg = await this.bus.lastOn(topology.stream('endpoints'), topology.endpoint(accountId, endpointId));
    if (!msg) return null;
    const fact = msg.json<EndpointFact>();
    if (fact.type === 'endpoint.deleted' || fact.endpoint.id !== endpointId) return null;
    if (accountId !== '*' && fact.endpoint.account_id !== accountId) return null;
    return { state: fact.endpoint, seq: msg.seq };
  }
}
