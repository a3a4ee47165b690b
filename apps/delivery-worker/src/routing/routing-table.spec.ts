import { describe, expect, it } from '@jest/globals';
import { endpointFact, fakeDecrypt } from '../testing/fixtures.js';
import { RoutingTable, signingSecrets } from './routing-table.js';

describe('RoutingTable', () => {
  it('matches the enabled endpoints of the account by type or *', () => {
    const table = new RoutingTable(fakeDecrypt);
    table.apply(endpointFact({ id: 'ep_all', events: ['*'] }), 1);
    table.apply(endpointFact({ id: 'ep_pay', events: ['payment.completed'] }), 2);
    table.apply(endpointFact({ id: 'ep_sub', events: ['subscription.created'] }), 3);
    table.apply(endpointFact({ id: 'ep_off', enabled: false, disabled_reason: 'manual' }), 4);
    table.apply(endpointFact({ id: 'ep_other', account_id: 'acct_2' }), 5);
    const ids = table.match('acct_1', 'payment.completed').map((r) => r.id);
    expect(ids.sort()).toEqual(['ep_all', 'ep_pay']);
    expect(table.match('acct_3', 'payment.completed')).toEqual([]);
  });

  it('keeps the latest fact, ignores older sequences, and forgets deleted endpoints', () => {
    const table = new RoutingTable(fakeDecrypt);
    table.apply(endpointFact({ url: 'http://a' }), 5);
    table.apply(endpointFact({ url: 'http://old' }), 4);
    expect(table.get('ep_1')?.url).toBe('http://a');
    expect(table.get('ep_1')?.subjectSeq).toBe(5);
    table.apply(endpointFact({}, 'endpoint.deleted'), 6);
    expect(table.get('ep_1')).toBeUndefined();
    expect(table.match('acct_1', 'payment.completed')).toEqual([]);
    expect(table.size).toBe(0);
  });

  it('sends a targeted event only to its target, and only within the account', () => {
    const table = new RoutingTable(fakeDecrypt);
    table.apply(endpointFact({ id: 'ep_a', events: ['subscription.created'] }), 1);
    table.apply(endpointFact({ id: 'ep_b' }), 2);
    expect(table.match('acct_1', 'payment.completed', 'ep_a').map((r) => r.id)).toEqual(['ep_a']);
    expect(table.match('acct_2', 'payment.completed', 'ep_a')).toEqual([]);
    expect(table.match('acct_1', 'payment.completed', 'ep_missing')).toEqual([]);
  });

  it('decrypts secrets and drops expired rotated ones when signing', () => {
    const table = new RoutingTable(fakeDecrypt);
    table.apply(
      endpointFact({
        secrets: [
          { ciphertext: 'enc:whsec_new', created_at: '2026-01-02T00:00:00Z', expires_at: null },
          {
            ciphertext: 'enc:whsec_old',
            created_at: '2026-01-01T00:00:00Z',
            expires_at: '2026-01-03T00:00:00Z',
          },
        ],
      }),
      1,
    );
    const route = table.get('ep_1')!;
    expect(signingSecrets(route, Date.parse('2026-01-02T12:00:00Z'))).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(route, Date.parse('2026-01-03T00:00:00Z'))).toEqual(['whsec_new']);
  });

  it('reports secrets it cannot decrypt instead of using them', () => {
    const errors: string[] = [];
    const table = new RoutingTable(fakeDecrypt, (id) => errors.push(id));
    table.apply(endpointFact({ secrets: [{ ciphertext: 'garbage', created_at: 'x', expires_at: null }] }), 1);
    expect(table.get('ep_1')?.secrets).toEqual([]);
    expect(table.get('ep_1')?.undecryptableSecrets).toBe(1);
    expect(errors).toEqual(['ep_1']);
  });

  it('moves an endpoint between account indexes if its account changes', () => {
    const table = new RoutingTable(fakeDecrypt);
    table.apply(endpointFact({ account_id: 'acct_1' }), 1);
    table.apply(endpointFact({ account_id: 'acct_2' }), 2);
    expect(table.match('acct_1', 'payment.completed')).toEqual([]);
    expect(table.match('acct_2', 'payment.completed')).toHaveLength(1);
  });
});
