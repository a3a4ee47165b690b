import { describe, expect, it } from '@jest/globals';
import { deletePart, finishedPart, toDelivery, writeStatement } from './outcomes.sql.js';

describe('outcomes statements', () => {
  it('numbers the parameters of the parts one after the other, and names each combination', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const statement = writeStatement([
      deletePart(['dlv_1']),
      finishedPart([{ delivery_id: 'dlv_2', status: 'succeeded', at }]),
    ]);
    expect(statement.name).toBe('scheduler_outcomes_deleted_finished');
    expect(statement.text).toMatch(/^WITH deleted AS \(/);
    expect(statement.text).toContain('id = ANY($1::text[])');
    expect(statement.text).toContain('jsonb_to_recordset($2::jsonb)');
    expect(statement.text).not.toContain('$3');
    expect(statement.values).toEqual([
      ['dlv_1'],
      JSON.stringify([{ delivery_id: 'dlv_2', status: 'succeeded', at }]),
    ]);
  });

  it('reads a loaded row, whatever precision Postgres gives its times', () => {
    expect(
      toDelivery([
        'dlv_1',
        'ep_1',
        'acct_1',
        'evt_1',
        'payment.completed',
        'pending',
        0,
        '2026-01-01T00:00:00.123456+00:00',
        null,
        '2026-01-01T01:00:00+01:00',
        null,
        'outcomes',
        42,
      ]),
    ).toEqual({
      id: 'dlv_1',
      endpointId: 'ep_1',
      accountId: 'acct_1',
      eventId: 'evt_1',
      eventType: 'payment.completed',
      status: 'pending',
      attempts: 0,
      createdAt: new Date('2026-01-01T00:00:00.123Z'),
      lastAttemptAt: null,
      nextAttemptAt: new Date('2026-01-01T00:00:00.000Z'),
      finalAt: null,
      sourceStream: 'outcomes',
      sourceSeq: 42,
    });
  });
});
