import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EndpointFact } from '@codeplanet/event-schemas';
import { isWrongLastSequence } from '@codeplanet/jetstream';
import { SchedulerSettings } from '../config/env.js';
import { EndpointDirectory } from '../jobs/endpoint-directory.js';
import type { JobResult } from '../leader/run-log.js';
import { AuditTrail } from '../messaging/audit.js';
import { Bus } from '../messaging/bus.js';
import { ProjectionStatus } from '../projections/projection-status.js';
import { dueActions, streakStart } from './streak.js';

interface Candidate {
  id: string;
  account_id: string;
  stream_seq: string;
  streak_reset_at: Date;
  first_failure_at: Date | null;
  last_failure_at: Date | null;
  last_success_at: Date | null;
}

interface Alert {
  warned_at: Date | null;
  disabled_at: Date | null;
}

/**
 * Endpoints that have only failed, with no success, for AUTO_DISABLE_AFTER are disabled (`endpoint.disabled`,
 * reason `auto_failing`, actor `scheduler`, written with expected-last-subject-sequence); a warning AuditFact goes
 * out at AUTO_DISABLE_WARN_AFTER. `endpoint_alerts` remembers both per streak, so each happens once per streak.
 */
@Injectable()
export class AutoDisableJob {
  private readonly logger = new Logger('AutoDisable');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bus: Bus,
    private readonly endpoints: EndpointDirectory,
    private readonly audit: AuditTrail,
    private readonly projections: ProjectionStatus,
    private readonly settings: SchedulerSettings,
  ) {}

  async run(signal: AbortSignal, now = new Date()): Promise<JobResult> {
    const synced =
      (await this.projections.caughtUp('endpoints', 'endpoints', signal)) &&
      (await this.projections.caughtUp('outcomes', 'outcomes', signal));
    if (!synced) return { skipped: 'projections behind' };
    const { autoDisableWarnAfterMs: warnAfterMs, autoDisableAfterMs: disableAfterMs } = this.settings.timings;
    const candidates = await this.db.query<Candidate[]>(
      `SELECT e.id, e.account_id, e.stream_seq, e.streak_reset_at, h.first_failure_at, h.last_failure_at,
         h.last_success_at
       FROM scheduler.endpoints e JOIN scheduler.endpoint_health h ON h.endpoint_id = e.id
       WHERE e.enabled AND e.deleted_at IS NULL AND h.first_failure_at IS NOT NULL
         AND greatest(h.first_failure_at, e.streak_reset_at) <= $1`,
      [new Date(now.getTime() - warnAfterMs)],
    );
    let warned = 0;
    let disabled = 0;
    for (const candidate of candidates) {
      if (signal.aborted) break;
      const start = streakStart({
        firstFailureAt: candidate.first_failure_at,
        lastFailureAt: candidate.last_failure_at,
        lastSuccessAt: candidate.last_success_at,
        streakResetAt: candidate.streak_reset_at,
      });
      if (!start) continue;
      const alerts = await this.db.query<Alert[]>(
        `SELECT warned_at, disabled_at FROM scheduler.endpoint_alerts WHERE endpoint_id = $1 AND streak_started_at = $2`,
        [candidate.id, start],
      );
      const alert = alerts[0];
      const due = dueActions(
        start,
        now,
        alert ? { warnedAt: alert.warned_at, disabledAt: alert.disabled_at } : null,
        {
          warnAfterMs,
          disableAfterMs,
        },
      );
      if (due.warn) {
        await this.warn(candidate, start, now, disableAfterMs);
        warned++;
      }
      if (due.disable && (await this.disable(candidate, start, now))) disabled++;
    }
    return { candidates: candidates.length, warned, disabled };
  }

  private async warn(endpoint: Candidate, start: Date, now: Date, disableAfterMs: number): Promise<void> {
    await this.audit.record({
      action: 'scheduler.auto_disable_warning',
      accountId: endpoint.account_id,
      target: { kind: 'endpoint', id: endpoint.id },
      details: {
        failing_since: start.toISOString(),
        disable_at: new Date(start.getTime() + disableAfterMs).toISOString(),
        last_failure_at: endpoint.last_failure_at?.toISOString() ?? null,
      },
      dedupeKey: `auto_disable_warning:${endpoint.id}:${start.toISOString()}`,
    });
    await this.db.query(
      `INSERT INTO scheduler.endpoint_alerts (endpoint_id, streak_started_at, account_id, warned_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (endpoint_id, streak_started_at) DO UPDATE SET warned_at = excluded.warned_at`,
      [endpoint.id, start, endpoint.account_id, now],
    );
    this.logger.warn(`endpoint ${endpoint.id} has only failed since ${start.toISOString()}: warned`);
  }

  /** True when this run disabled it; false when someone else changed it first (checked again next run). */
  private async disable(endpoint: Candidate, start: Date, now: Date): Promise<boolean> {
    const live = await this.endpoints.find(endpoint.account_id, endpoint.id);
    if (!live || !live.state.enabled) return false;
    // The projection has not seen the latest fact (e.g. a re-enable a moment ago): decide next run.
    if (live.seq !== Number(endpoint.stream_seq)) return false;
    const at = now.toISOString();
    const fact: EndpointFact = {
      type: 'endpoint.disabled',
      endpoint: {
        ...live.state,
        enabled: false,
        disabled_reason: 'auto_failing',
        updated_at: at,
        version: live.state.version + 1,
      },
      actor: 'scheduler',
      occurred_at: at,
    };
    try {
      await this.bus.publish(this.bus.topology.endpoint(endpoint.account_id, endpoint.id), fact, {
        msgId: `${endpoint.id}:v${fact.endpoint.version}:disabled`,
        expectLastSubjectSequence: live.seq,
      });
    } catch (error) {
      if (isWrongLastSequence(error)) return false;
      throw error;
    }
    await this.db.query(
      `INSERT INTO scheduler.endpoint_alerts (endpoint_id, streak_started_at, account_id, disabled_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (endpoint_id, streak_started_at) DO UPDATE SET disabled_at = excluded.disabled_at`,
      [endpoint.id, start, endpoint.account_id, now],
    );
    await this.audit.tryRecord({
      action: 'scheduler.auto_disable',
      accountId: endpoint.account_id,
      target: { kind: 'endpoint', id: endpoint.id },
      details: { reason: 'auto_failing', failing_since: start.toISOString(), version: fact.endpoint.version },
      dedupeKey: `auto_disable:${endpoint.id}:${start.toISOString()}`,
    });
    this.logger.warn(`endpoint ${endpoint.id} disabled: only failures since ${start.toISOString()}`);
    return true;
  }
}
