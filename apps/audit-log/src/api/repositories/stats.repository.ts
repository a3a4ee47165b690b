import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conditions, type Scope } from '../scope.js';
import {
  hourlyBuckets,
  hourlyRangeStart,
  latencyFrom,
  rate,
  type HourCount,
  type Latency,
} from '../stats/stats.js';

export interface EndpointStats {
  endpoint_id: string;
  window: string;
  since: string;
  until: string;
  /** Deliveries created in the window that finished: succeeded / (succeeded + failed). */
  success_rate: number | null;
  deliveries: { total: number; succeeded: number; failed: number; pending: number };
  attempts: { total: number; succeeded: number; failed: number; success_rate: number | null };
  latency_ms: Latency;
  /** Attempts per hour over the last 24 hours, whatever the window. */
  hourly: HourCount[];
}

type AttemptTotals = { total: number; succeeded: number; failed: number; latency: unknown };
type DeliveryTotals = { total: number; succeeded: number; failed: number; pending: number };
type HourRow = { hour: Date; succeeded: number; failed: number };

@Injectable()
export class StatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async endpointStats(
    scope: Scope,
    endpointId: string,
    window: string,
    windowMs: number,
    now = new Date(),
  ): Promise<EndpointStats> {
    const since = new Date(now.getTime() - windowMs);
    const a = new Conditions(scope, 'a.account_id')
      .add('a.endpoint_id = ?', endpointId)
      .add('a.started_at >= ?', since)
      .add('a.started_at <= ?', now);
    const [attempts] = await this.dataSource.query<AttemptTotals[]>(
      `SELECT count(*)::int AS total,
         count(*) FILTER (WHERE a.outcome = 'succeeded')::int AS succeeded,
         count(*) FILTER (WHERE a.outcome = 'failed')::int AS failed,
         percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY a.duration_ms) AS latency
       FROM audit.attempts a WHERE ${a.sql}`,
      a.params,
    );
    const d = new Conditions(scope, 'd.account_id')
      .add('d.endpoint_id = ?', endpointId)
      .add('d.created_at >= ?', since)
      .add('d.created_at <= ?', now);
    const [deliveries] = await this.dataSource.query<DeliveryTotals[]>(
      `SELECT count(*)::int AS total,
         count(*) FILTER (WHERE d.status = 'succeeded')::int AS succeeded,
         count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
         count(*) FILTER (WHERE d.status = 'pending')::int AS pending
       FROM audit.deliveries d WHERE ${d.sql}`,
      d.params,
    );
    const h = new Conditions(scope, 'a.account_id')
      .add('a.endpoint_id = ?', endpointId)
      .add('a.started_at >= ?', hourlyRangeStart(now));
    const hours = await this.dataSource.query<HourRow[]>(
      `SELECT date_trunc('hour', a.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
         count(*) FILTER (WHERE a.outcome = 'succeeded')::int AS succeeded,
         count(*) FILTER (WHERE a.outcome = 'failed')::int AS failed
       FROM audit.attempts a WHERE ${h.sql} GROUP BY 1`,
      h.params,
    );
    const att = attempts ?? { total: 0, succeeded: 0, failed: 0, latency: null };
    const del = deliveries ?? { total: 0, succeeded: 0, failed: 0, pending: 0 };
    return {
      endpoint_id: endpointId,
      window,
      since: since.toISOString(),
      until: now.toISOString(),
      success_rate: rate(del.succeeded, del.failed),
      deliveries: del,
      attempts: {
        total: att.total,
        succeeded: att.succeeded,
        failed: att.failed,
        success_rate: rate(att.succeeded, att.failed),
      },
      latency_ms: latencyFrom(att.latency),
      hourly: hourlyBuckets(now, hours),
    };
  }
}
