import { describe, expect, it } from '@jest/globals';
import { foldDeliveryPatches, mergeDeliveryPatches, statusWins } from './delivery-patch.js';
import { reduceOutcome } from './outcome-reducer.js';
import { reduceAuditFact } from './audit-reducer.js';
import { accepted, attempt, finished, retryFact } from '../../../test/support/facts.js';

const patchesOf = (fact: unknown) =>
  reduceOutcome(fact, 1)?.deliveries ?? reduceAuditFact(fact)?.deliveries ?? [];

/** Every order of the given items (small lists only). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('delivery patches', () => {
  const story = [
    accepted('2026-12-04T15:00:00.000Z'),
    attempt(1, '2026-12-04T15:00:00.010Z', { ok: false, next: '2026-12-04T15:01:00.010Z', status: 500 }),
    attempt(2, '2026-12-04T15:01:00.020Z', { ok: true, status: 200 }),
    finished('succeeded', '2026-12-04T15:01:00.200Z', 2),
  ];

  it('ends in the same row whatever order the facts arrive in', () => {
    const results = permutations(story).map((order) => foldDeliveryPatches(order.flatMap(patchesOf)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        attempts: 2,
        last_attempt: 2,
        last_status_code: 200,
        next_attempt_at: null,
        created_at: '2026-12-04T15:00:00.000Z',
        updated_at: '2026-12-04T15:01:00.200Z',
      }),
    ]);
  });

  it('is idempotent: a duplicate fact changes nothing', () => {
    const once = foldDeliveryPatches(story.flatMap(patchesOf));
    const twice = foldDeliveryPatches([...story, ...story].flatMap(patchesOf));
    expect(twice).toEqual(once);
  });

  it('keeps pending with next_attempt_at while retries are scheduled', () => {
    const [row] = foldDeliveryPatches(story.slice(0, 2).flatMap(patchesOf));
    expect(row).toMatchObject({
      status: 'pending',
      next_attempt_at: '2026-12-04T15:01:00.010Z',
      last_status_code: 500,
    });
  });

  it('turns failed when the last attempt has no next attempt', () => {
    const [row] = foldDeliveryPatches(
      patchesOf(attempt(6, '2026-12-05T15:00:00.000Z', { ok: false, next: null, status: 503 })),
    );
    expect(row).toMatchObject({ status: 'failed', next_attempt_at: null });
  });

  it('event.accepted never overrides a status that an attempt set, even with a later time', () => {
    const early = patchesOf(attempt(1, '2026-12-04T15:00:00.000Z', { ok: true, status: 204 }))[0]!;
    const late = patchesOf(accepted('2026-12-04T15:00:05.000Z'))[0]!;
    expect(statusWins(early, late)).toBe(false);
    expect(mergeDeliveryPatches(late, early).status).toBe('succeeded');
    expect(mergeDeliveryPatches(early, late).status).toBe('succeeded');
  });

  it('a manual retry after the final state makes it pending; the new ladder then decides', () => {
    const failed = [...story.slice(0, 2), finished('failed', '2026-12-04T16:00:00.000Z', 6)];
    const retried = [...failed, retryFact('2026-12-04T17:00:00.000Z')];
    expect(foldDeliveryPatches(retried.flatMap(patchesOf))[0]).toMatchObject({
      status: 'pending',
      next_attempt_at: '2026-12-04T17:00:00.000Z',
    });
    const after = [...retried, attempt(1, '2026-12-04T17:00:00.050Z', { ok: true, status: 200 })];
    for (const order of permutations(after.slice(2))) {
      expect(foldDeliveryPatches([...after.slice(0, 2), ...order].flatMap(patchesOf))[0]!.status).toBe(
        'succeeded',
      );
    }
  });
});
