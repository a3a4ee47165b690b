import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker } from './circuit-breaker.js';

const EP = 'ep_1';

function failTimes(breaker: CircuitBreaker, times: number, now = 0): void {
  for (let i = 0; i < times; i += 1) breaker.record(EP, false, now);
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and resets on success', () => {
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000 });
    failTimes(breaker, 2);
    breaker.record(EP, true, 0);
    failTimes(breaker, 2);
    expect(breaker.admit(EP, 0)).toBe('allow');
    expect(breaker.stateOf(EP)).toBe('closed');
  });

  it('opens after N consecutive failures and rejects until the cool-down ends', () => {
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000 });
    failTimes(breaker, 3, 100);
    expect(breaker.stateOf(EP)).toBe('open');
    expect(breaker.admit(EP, 500)).toBe('reject');
    expect(breaker.admit(EP, 1099)).toBe('reject');
    expect(breaker.counts()).toEqual({ closed: 0, open: 1, half_open: 0 });
  });

  it('lets exactly one probe through after the cool-down', () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000 });
    failTimes(breaker, 1, 0);
    expect(breaker.admit(EP, 1000)).toBe('probe');
    expect(breaker.admit(EP, 1001)).toBe('reject');
    expect(breaker.stateOf(EP)).toBe('half_open');
  });

  it('closes when the probe succeeds', () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000 });
    failTimes(breaker, 1, 0);
    expect(breaker.admit(EP, 2000)).toBe('probe');
    breaker.record(EP, true, 2100);
    expect(breaker.admit(EP, 2100)).toBe('allow');
  });

  it('re-opens for a full cool-down when the probe fails', () => {
    const breaker = new CircuitBreaker({ threshold: 2, cooldownMs: 1000 });
    failTimes(breaker, 2, 0);
    expect(breaker.admit(EP, 1000)).toBe('probe');
    breaker.record(EP, false, 1500);
    expect(breaker.admit(EP, 2499)).toBe('reject');
    expect(breaker.admit(EP, 2500)).toBe('probe');
  });

  it('hands the probe to the next caller when it is abandoned', () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 10 });
    failTimes(breaker, 1, 0);
    expect(breaker.admit(EP, 10)).toBe('probe');
    breaker.abandon(EP);
    expect(breaker.admit(EP, 11)).toBe('probe');
  });

  it('keeps endpoints apart', () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000 });
    failTimes(breaker, 1, 0);
    expect(breaker.admit('ep_other', 0)).toBe('allow');
    breaker.forget(EP);
    expect(breaker.admit(EP, 0)).toBe('allow');
  });

  it('lets an attempt someone asked for probe an open circuit at once, one at a time', () => {
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 30_000 });
    failTimes(breaker, 1, 0);
    expect(breaker.admit(EP, 100)).toBe('reject');
    expect(breaker.admitRequested(EP, 100)).toBe('probe');
    expect(breaker.admitRequested(EP, 101)).toBe('reject');
    breaker.record(EP, true, 150);
    expect(breaker.admit(EP, 151)).toBe('allow');
  });
});
