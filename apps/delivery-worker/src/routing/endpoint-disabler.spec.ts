import { describe, expect, it } from '@jest/globals';
import { createTopology, type EndpointFact } from '@codeplanet/event-schemas';
import type { FactPublisher, PublishRequest } from '../outcomes/fact-publisher.js';
import { endpointFact, fakeDecrypt } from '../testing/fixtures.js';
import { EndpointDisabler } from './endpoint-disabler.js';
import { RoutingTable } from './routing-table.js';

const topology = createTopology('tx');
const wrongSequence = new Error('wrong last sequence: 8');
const log = { log: () => undefined, warn: () => undefined };

class ScriptedPublisher implements FactPublisher {
  readonly calls: PublishRequest[] = [];
  constructor(private readonly onPublish: (request: PublishRequest, call: number) => Promise<number>) {}
  async publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }> {
    this.calls.push(request);
    return { seq: await this.onPublish(request, this.calls.length), duplicate: false };
  }
}

describe('EndpointDisabler', () => {
  it('writes endpoint.disabled against the sequence the map holds', async () => {
    const routing = new RoutingTable(fakeDecrypt);
    routing.apply(endpointFact({ version: 3 }), 7);
    const publisher = new ScriptedPublisher(() => Promise.resolve(9));
    await new EndpointDisabler(routing, publisher, topology, log, (e) => e === wrongSequence).disableGone(
      'ep_1',
    );
    expect(publisher.calls).toHaveLength(1);
    const [call] = publisher.calls;
    expect(call!.subject).toBe('tx.endpoints.acct_1.ep_1');
    expect(call!.expectLastSubjectSequence).toBe(7);
    expect((call!.payload as EndpointFact).endpoint).toMatchObject({
      enabled: false,
      disabled_reason: 'gone_410',
      version: 4,
    });
    expect(routing.get('ep_1')).toMatchObject({ enabled: false, subjectSeq: 9 });
  });

  it('re-reads the map after losing a race, and stops if someone else already disabled it', async () => {
    const routing = new RoutingTable(fakeDecrypt);
    routing.apply(endpointFact(), 7);
    const publisher = new ScriptedPublisher(() => {
      // A concurrent writer got there first; the ENDPOINTS feed brings its fact in.
      routing.apply(
        endpointFact({ enabled: false, disabled_reason: 'manual', version: 2 }, 'endpoint.disabled'),
        8,
      );
      return Promise.reject(wrongSequence);
    });
    await new EndpointDisabler(routing, publisher, topology, log, (e) => e === wrongSequence).disableGone(
      'ep_1',
    );
    expect(publisher.calls).toHaveLength(1);
    expect(routing.get('ep_1')?.state.disabled_reason).toBe('manual');
  });

  it('retries with the newer sequence when the endpoint changed but is still enabled', async () => {
    const routing = new RoutingTable(fakeDecrypt);
    routing.apply(endpointFact(), 7);
    const publisher = new ScriptedPublisher((_request, call) => {
      if (call === 1) {
        routing.apply(endpointFact({ url: 'http://new', version: 2 }, 'endpoint.updated'), 8);
        return Promise.reject(wrongSequence);
      }
      return Promise.resolve(10);
    });
    await new EndpointDisabler(routing, publisher, topology, log, (e) => e === wrongSequence).disableGone(
      'ep_1',
    );
    expect(publisher.calls.map((c) => c.expectLastSubjectSequence)).toEqual([7, 8]);
    expect((publisher.calls[1]!.payload as EndpointFact).endpoint.url).toBe('http://new');
  });

  it('shares one disable between concurrent 410s and never throws', async () => {
    const routing = new RoutingTable(fakeDecrypt);
    routing.apply(endpointFact(), 7);
    const publisher = new ScriptedPublisher(() => Promise.reject(new Error('nats down')));
    const disabler = new EndpointDisabler(routing, publisher, topology, log, () => false);
    await Promise.all([disabler.disableGone('ep_1'), disabler.disableGone('ep_1')]);
    expect(publisher.calls).toHaveLength(1);
  });
});
