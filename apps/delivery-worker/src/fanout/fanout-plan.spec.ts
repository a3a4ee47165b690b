import { describe, expect, it } from '@jest/globals';
import {
  createTopology,
  deliveryIdFor,
  type DeliveryTask,
  type OutcomeFact,
} from '@codeplanet/event-schemas';
import { RoutingTable } from '../routing/routing-table.js';
import { endpointFact, envelope, fakeDecrypt } from '../testing/fixtures.js';
import { EVENT_OUTCOMES_TOKEN, planFanout } from './fanout-plan.js';

const topology = createTopology('tx');
const NOW = Date.parse('2026-02-01T00:00:00Z');

function routes(): RoutingTable {
  const table = new RoutingTable(fakeDecrypt);
  table.apply(endpointFact({ id: 'ep_all', events: ['*'] }), 1);
  table.apply(endpointFact({ id: 'ep_pay', events: ['payment.completed', 'payment.failed'] }), 2);
  table.apply(endpointFact({ id: 'ep_sub', events: ['subscription.created'] }), 3);
  table.apply(endpointFact({ id: 'ep_foreign', account_id: 'acct_2' }), 4);
  return table;
}

function incoming(body: unknown, subject = topology.event('payment.completed'), target?: string) {
  const data = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return { data, subject, streamSeq: 42, targetEndpointId: target };
}

describe('planFanout', () => {
  it('creates one task per matching endpoint with <event>:<endpoint> msgIDs, plus event.accepted', () => {
    const event = envelope();
    const plan = planFanout(incoming(event), routes(), topology, NOW);
    expect(plan.kind).toBe('accepted');
    const tasks = plan.publishes.filter((p) => p.subject.startsWith('tx.deliveries.'));
    expect(tasks.map((p) => p.msgId).sort()).toEqual(['evt_1:ep_all', 'evt_1:ep_pay']);
    const task = tasks.find((p) => p.msgId === 'evt_1:ep_pay')!;
    expect(task.subject).toBe('tx.deliveries.ep_pay');
    expect(task.payload as DeliveryTask).toEqual({
      delivery_id: deliveryIdFor('evt_1', 'ep_pay'),
      endpoint_id: 'ep_pay',
      account_id: 'acct_1',
      event,
      first_attempt: 1,
      enqueued_at: NOW,
    });
    const accepted = plan.publishes.find((p) => p.msgId === 'accepted:evt_1')!;
    expect(accepted.subject).toBe(`tx.outcomes.${EVENT_OUTCOMES_TOKEN}`);
    const fact = accepted.payload as Extract<OutcomeFact, { type: 'event.accepted' }>;
    expect(fact.type).toBe('event.accepted');
    expect(fact.deliveries.map((d) => d.endpoint_id).sort()).toEqual(['ep_all', 'ep_pay']);
  });

  it('accepts an event no endpoint wants, with no deliveries', () => {
    const plan = planFanout(incoming(envelope({ account_id: 'acct_9' })), routes(), topology, NOW);
    expect(plan.kind).toBe('accepted');
    expect(plan.publishes).toHaveLength(1);
  });

  it('sends a targeted event only to the target of the same account', () => {
    const event = envelope({
      type: 'subscription.created',
      data: {
        subscription_id: 'sub_1',
        user_id: 'usr_1',
        plan: 'pro',
        interval: 'month',
        current_period_end: '2026-03-01T00:00:00Z',
      },
    });
    const subject = topology.event('subscription.created');
    const plan = planFanout(incoming(event, subject, 'ep_pay'), routes(), topology, NOW);
    expect(plan.publishes.filter((p) => p.subject.includes('deliveries')).map((p) => p.msgId)).toEqual([
      `evt_1:ep_pay`,
    ]);
    const foreign = planFanout(incoming(event, subject, 'ep_foreign'), routes(), topology, NOW);
    expect(foreign.kind === 'accepted' && foreign.deliveries).toBe(0);
  });

  it('rejects invalid JSON, schema failures and subject mismatches, keeping the raw message', () => {
    const broken = planFanout(incoming('{not json'), routes(), topology, NOW);
    expect(broken.kind).toBe('rejected');
    const fact = broken.publishes[0]!.payload as Extract<OutcomeFact, { type: 'event.rejected' }>;
    expect(fact).toMatchObject({
      type: 'event.rejected',
      event_id: null,
      raw: '{not json',
      subject: 'tx.events.payment.completed',
    });
    expect(broken.publishes[0]!.msgId).toBe('rejected:42');

    const bad = envelope({ data: { payment_id: 'pay_1' } });
    const invalid = planFanout(incoming(bad), routes(), topology, NOW);
    expect(invalid.kind).toBe('rejected');
    const invalidFact = invalid.publishes[0]!.payload as Extract<OutcomeFact, { type: 'event.rejected' }>;
    expect(invalidFact.event_id).toBe('evt_1');
    expect(invalidFact.account_id).toBe('acct_1');
    expect(invalidFact.errors.some((e) => e.field.startsWith('data'))).toBe(true);

    const mismatch = planFanout(
      incoming(envelope(), topology.event('payment.failed')),
      routes(),
      topology,
      NOW,
    );
    expect(mismatch.kind === 'rejected' && mismatch.errors[0]?.field).toBe('type');
  });

  it('rejects an event over 256 KiB', () => {
    const huge = envelope({ data: { payment_id: 'x'.repeat(300 * 1024) } });
    const plan = planFanout(incoming(huge), routes(), topology, NOW);
    expect(plan.kind === 'rejected' && plan.errors[0]?.field).toBe('body');
    const fact = plan.publishes[0]!.payload as Extract<OutcomeFact, { type: 'event.rejected' }>;
    expect(fact.raw.length).toBe(256 * 1024);
  });
});
