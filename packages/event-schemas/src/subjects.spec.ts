import { describe, expect, it } from '@jest/globals';
import { createTopology, STREAM_KEYS } from './subjects.js';

describe('createTopology', () => {
  it('uses bare names without a prefix', () => {
    const topology = createTopology();
    expect(topology.stream('events')).toBe('EVENTS');
    expect(topology.streamSubject('retries')).toBe('retries.>');
    expect(topology.event('payment.completed')).toBe('events.payment.completed');
    expect(topology.endpoint('acct_1', 'ep_2')).toBe('endpoints.acct_1.ep_2');
    expect(topology.delivery('ep_2')).toBe('deliveries.ep_2');
    expect(topology.retry('ep_2')).toBe('retries.ep_2');
    expect(topology.outcome('ep_2')).toBe('outcomes.ep_2');
    expect(topology.account('acct_1')).toBe('accounts.acct_1');
    expect(topology.audit('_admin')).toBe('audit._admin');
    expect(topology.eventTypeOf('events.streak.milestone')).toBe('streak.milestone');
  });

  it('isolates a prefix in both stream names and subjects', () => {
    const topology = createTopology('t1a2');
    expect(STREAM_KEYS.map((key) => topology.stream(key))).toEqual([
      't1a2_EVENTS',
      't1a2_ENDPOINTS',
      't1a2_DELIVERIES',
      't1a2_RETRIES',
      't1a2_OUTCOMES',
      't1a2_ACCOUNTS',
      't1a2_AUDIT',
    ]);
    expect(topology.streamSubject('events')).toBe('t1a2.events.>');
    expect(topology.eventTypeOf(topology.event('payment.failed'))).toBe('payment.failed');
  });

  it('rejects prefixes that would break subjects or stream names', () => {
    expect(() => createTopology('a.b')).toThrow('stream prefix');
    expect(() => createTopology('UPPER')).toThrow('stream prefix');
    expect(() => createTopology('x'.repeat(25))).toThrow('stream prefix');
  });
});
