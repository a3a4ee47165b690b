import { describe, expect, it } from '@jest/globals';
import { deliveryIdFor, newId } from './ids.js';

describe('newId', () => {
  it('makes prefixed, unique, time-sortable ids', () => {
    const ids = Array.from({ length: 50 }, () => newId('evt'));
    for (const id of ids) expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(50);
    expect(newId('acct')).toMatch(/^acct_/);
  });
});

describe('deliveryIdFor', () => {
  it('is derived: the same event and endpoint give the same id', () => {
    expect(deliveryIdFor('evt_1', 'ep_1')).toBe(deliveryIdFor('evt_1', 'ep_1'));
    expect(deliveryIdFor('evt_1', 'ep_1')).toMatch(/^dlv_[A-Za-z0-9_-]{26}$/);
  });

  it('differs per endpoint, per event and per replay job', () => {
    const base = deliveryIdFor('evt_1', 'ep_1');
    expect(deliveryIdFor('evt_1', 'ep_2')).not.toBe(base);
    expect(deliveryIdFor('evt_2', 'ep_1')).not.toBe(base);
    expect(deliveryIdFor('evt_1', 'ep_1', 'job_1')).not.toBe(base);
  });
});
