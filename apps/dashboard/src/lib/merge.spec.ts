import { describe, expect, it } from '@jest/globals';
import type { Delivery } from '../api/types.js';
import { appendPage, mergeFirstPage } from './merge.js';

const row = (id: string, status: Delivery['status'] = 'pending'): Delivery => ({
  id,
  event_id: `evt_${id}`,
  endpoint_id: 'ep_1',
  event_type: 'payment.completed',
  status,
  attempts: 1,
  last_status_code: null,
  next_attempt_at: null,
  created_at: '2026-12-04T15:00:00.000Z',
  updated_at: '2026-12-04T15:00:00.000Z',
});

describe('merging pages of deliveries', () => {
  it('puts a fresh first page over the rows shown and keeps the older ones below', () => {
    const shown = [row('b'), row('c'), row('d')];
    const merged = mergeFirstPage([row('a'), row('b', 'succeeded')], shown);
    expect(merged.map((d) => d.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(merged[1]?.status).toBe('succeeded');
  });

  it('appends a further page without duplicates', () => {
    expect(appendPage([row('a'), row('b')], [row('b'), row('c')]).map((d) => d.id)).toEqual(['a', 'b', 'c']);
  });
});
