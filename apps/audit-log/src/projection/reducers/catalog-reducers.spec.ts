import { describe, expect, it } from '@jest/globals';
import {
  accountCreated,
  endpointFact,
  keyCreated,
  keyRevoked,
  retryFact,
} from '../../../test/support/facts.js';
import { reduceAuditFact } from './audit-reducer.js';
import { foldAccountRows, foldEndpoints, reduceAccountFact, reduceEndpointFact } from './catalog-reducers.js';

describe('endpoint reducer', () => {
  it('stores the snapshot without secrets and keeps the newest version', () => {
    const v1 = reduceEndpointFact(
      endpointFact('endpoint.created', 'ep_1', 'acct_1', 1, '2026-12-04T10:00:00Z'),
    )!;
    const v2 = reduceEndpointFact(
      endpointFact('endpoint.disabled', 'ep_1', 'acct_1', 2, '2026-12-04T11:00:00Z', { enabled: false }),
    )!;
    expect(v1).not.toHaveProperty('secrets');
    expect(foldEndpoints([v2, v1])).toEqual([v2]);
    expect(foldEndpoints([v1, v2])).toEqual([v2]);
    expect(v2).toMatchObject({ enabled: false, disabled_reason: 'manual', version: 2 });
  });

  it('marks a deleted endpoint', () => {
    const row = reduceEndpointFact(
      endpointFact('endpoint.deleted', 'ep_1', 'acct_1', 3, '2026-12-04T12:00:00Z'),
    )!;
    expect(row).toMatchObject({ deleted_at: '2026-12-04T12:00:00.000Z', enabled: false });
  });

  it('skips malformed facts', () => {
    expect(reduceEndpointFact({ type: 'endpoint.created', endpoint: { id: 'ep_1' } })).toBeUndefined();
  });
});

describe('account reducer', () => {
  it('keeps a revoked key revoked whatever the order', () => {
    const created = reduceAccountFact(keyCreated('key_1', 'acct_1', 'hash1', '2026-12-04T10:00:00Z'))!;
    const revoked = reduceAccountFact(keyRevoked('key_1', 'acct_1', '2026-12-04T11:00:00Z'))!;
    const expected = {
      id: 'key_1',
      account_id: 'acct_1',
      key_hash: 'hash1',
      prefix: 'cpk_test',
      created_at: '2026-12-04T10:00:00.000Z',
      revoked_at: '2026-12-04T11:00:00.000Z',
    };
    expect(foldAccountRows([created, revoked]).apiKeys).toEqual([expected]);
    expect(foldAccountRows([revoked, created]).apiKeys).toEqual([expected]);
  });

  it('reads accounts', () => {
    expect(reduceAccountFact(accountCreated('acct_1', '2026-12-04T10:00:00Z'))!.accounts).toEqual([
      { id: 'acct_1', name: 'Account acct_1', created_at: '2026-12-04T10:00:00.000Z' },
    ]);
  });
});

describe('audit reducer', () => {
  it('records the fact, and a retry puts the delivery back to pending', () => {
    const rows = reduceAuditFact(retryFact('2026-12-04T17:00:00Z'))!;
    expect(rows.trail[0]).toMatchObject({
      action: 'delivery.retry',
      target_kind: 'delivery',
      target_id: 'dlv_1',
    });
    expect(rows.deliveries[0]).toMatchObject({ id: 'dlv_1', status: 'pending', status_rank: 1 });
  });

  it('other actions touch no delivery', () => {
    const fact = { ...retryFact('2026-12-04T17:00:00Z'), action: 'endpoint.update' };
    expect(reduceAuditFact(fact)!.deliveries).toEqual([]);
    expect(reduceAuditFact(fact)!.purges).toEqual([]);
  });

  describe('scheduler.retention_purge', () => {
    const purge = (details: Record<string, unknown>, accountId: string | null = null) => ({
      id: 'aud_p',
      actor: 'scheduler',
      action: 'scheduler.retention_purge',
      account_id: accountId,
      target: { kind: 'scheduler', id: 'retention' },
      request_id: null,
      occurred_at: '2026-12-04T01:00:00Z',
      details,
    });

    it('becomes a purge request with the cutoff of the fact', () => {
      const rows = reduceAuditFact(purge({ purge_before: '2026-11-04T00:00:00Z' }))!;
      expect(rows.purges).toEqual([
        { id: 'aud_p', purge_before: '2026-11-04T00:00:00.000Z', requested_at: '2026-12-04T01:00:00.000Z' },
      ]);
      expect(rows.trail).toHaveLength(1);
    });

    it('never purges what is newer than the request itself', () => {
      const rows = reduceAuditFact(purge({ purge_before: '2027-01-01T00:00:00Z' }))!;
      expect(rows.purges[0]?.purge_before).toBe('2026-12-04T01:00:00.000Z');
    });

    it('without a readable cutoff, or under an account, stays in the trail only', () => {
      for (const fact of [
        purge({}),
        purge({ purge_before: 'yesterday' }),
        purge({ purge_before: '2026-11-04T00:00:00Z' }, 'acct_1'),
      ]) {
        const rows = reduceAuditFact(fact)!;
        expect(rows.purges).toEqual([]);
        expect(rows.trail).toHaveLength(1);
      }
    });
  });
});
