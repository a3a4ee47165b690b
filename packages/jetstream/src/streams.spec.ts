import { describe, expect, it } from '@jest/globals';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { createTopology } from '@codeplanet/event-schemas';
import { streamDefinitions } from './streams.js';

describe('streamDefinitions', () => {
  const defs = streamDefinitions(createTopology('p1'), { replicas: 3 });
  const byName = new Map(defs.map((d) => [d.name, d]));

  it('defines the seven streams over prefixed subjects', () => {
    expect(defs.map((d) => d.name).sort()).toEqual([
      'p1_ACCOUNTS',
      'p1_AUDIT',
      'p1_DELIVERIES',
      'p1_ENDPOINTS',
      'p1_EVENTS',
      'p1_OUTCOMES',
      'p1_RETRIES',
    ]);
    expect(byName.get('p1_ENDPOINTS')?.subjects).toEqual(['p1.endpoints.>']);
  });

  it('uses work-queue retention only for the two task streams', () => {
    const workQueues = defs.filter((d) => d.retention === RetentionPolicy.Workqueue).map((d) => d.name);
    expect(workQueues.sort()).toEqual(['p1_DELIVERIES', 'p1_RETRIES']);
  });

  it('keeps the logs of record forever and ages events and outcomes', () => {
    expect(byName.get('p1_ENDPOINTS')?.max_age).toBe(0);
    expect(byName.get('p1_ACCOUNTS')?.max_age).toBe(0);
    expect(byName.get('p1_AUDIT')?.max_age).toBe(0);
    expect(byName.get('p1_EVENTS')?.max_age).toBe(nanos(7 * 86_400_000));
    expect(byName.get('p1_OUTCOMES')?.max_age).toBe(nanos(30 * 86_400_000));
  });

  it('applies replicas and file storage everywhere', () => {
    for (const d of defs) {
      expect(d.num_replicas).toBe(3);
      expect(d.storage).toBe(StorageType.File);
      expect(d.duplicate_window).toBe(nanos(120_000));
    }
  });
});
