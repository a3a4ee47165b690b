import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EVENT_TYPES, newId } from '@codeplanet/event-schemas';
import { ApiError, NotFoundError, actorOf, type Principal } from '@codeplanet/service-kit';
import type { JobKind } from '../database/entities/index.js';
import { AuditTrail } from '../messaging/audit.js';
import type { JobView, RecoverRequest, ReplayRequest } from './dto.js';
import { EndpointDirectory, type LiveEndpoint } from './endpoint-directory.js';

interface JobRecord {
  id: string;
  kind: string;
  status: string;
  account_id: string;
  endpoint_id: string;
  params: Record<string, unknown>;
  total: number | null;
  error: string | null;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  queued: string;
  skipped: string;
  succeeded: string;
  failed: string;
}

/**
 * The job routes' side: validate, check the endpoint belongs to the caller, queue the job in `scheduler.jobs`
 * (any replica may), and report progress. The leader runs queued jobs (JobExecutor).
 */
@Injectable()
export class JobsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly endpoints: EndpointDirectory,
    private readonly audit: AuditTrail,
  ) {}

  async recover(principal: Principal, endpointId: string, body: RecoverRequest, requestId: string | null) {
    const since = instant('since', body.since);
    if (since.getTime() > Date.now()) throw invalid('since', 'since must not be in the future');
    const endpoint = await this.endpointFor(principal, endpointId);
    return this.queue('recover', principal, endpoint, { since: since.toISOString() }, requestId);
  }

  async replay(principal: Principal, endpointId: string, body: ReplayRequest, requestId: string | null) {
    const since = instant('since', body.since);
    const until = body.until ? instant('until', body.until) : new Date();
    if (until <= since) throw invalid('until', 'until must be after since');
    const endpoint = await this.endpointFor(principal, endpointId);
    const filter = endpoint.state.events.includes('*') ? [...EVENT_TYPES] : endpoint.state.events;
    const types = [...(body.types ?? filter)].sort();
    const params = { types, since: since.toISOString(), until: until.toISOString() };
    return this.queue('replay', principal, endpoint, params, requestId);
  }

  async get(principal: Principal, jobId: string): Promise<JobView> {
    const rows = await this.db.query<JobRecord[]>(
      `SELECT j.*,
         count(i.queued_at) AS queued,
         count(i.skip_reason) AS skipped,
         count(*) FILTER (WHERE i.final_status = 'succeeded') AS succeeded,
         count(*) FILTER (WHERE i.final_status = 'failed') AS failed
       FROM scheduler.jobs j LEFT JOIN scheduler.job_items i ON i.job_id = j.id
       WHERE j.id = $1 GROUP BY j.id`,
      [jobId],
    );
    const job = rows[0];
    if (!job || (principal.kind === 'account' && job.account_id !== principal.accountId)) {
      throw new NotFoundError('job');
    }
    return toView(job);
  }

  private async endpointFor(principal: Principal, endpointId: string): Promise<LiveEndpoint> {
    const endpoint = await this.endpoints.forPrincipal(principal, endpointId);
    if (!endpoint) throw new NotFoundError('endpoint');
    if (!endpoint.state.enabled) {
      throw new ApiError(
        409,
        'endpoint_disabled',
        'the endpoint is disabled: enable it first, then recover or replay',
      );
    }
    return endpoint;
  }

  private async queue(
    kind: JobKind,
    principal: Principal,
    endpoint: LiveEndpoint,
    params: Record<string, unknown>,
    requestId: string | null,
  ): Promise<{ job_id: string; status: string; duplicate: boolean }> {
    const id = newId('job');
    const accountId = endpoint.state.account_id;
    const inserted = await this.db.query<{ id: string }[]>(
      `INSERT INTO scheduler.jobs (id, kind, account_id, endpoint_id, params, status, requested_by, request_id)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7)
       ON CONFLICT (kind, endpoint_id, md5(params::text)) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING id`,
      [id, kind, accountId, endpoint.state.id, JSON.stringify(params), actorOf(principal), requestId],
    );
    if (inserted.length === 0) {
      const open = await this.db.query<{ id: string; status: string }[]>(
        `SELECT id, status FROM scheduler.jobs WHERE kind = $1 AND endpoint_id = $2 AND params = $3::jsonb
           AND status IN ('queued', 'running') LIMIT 1`,
        [kind, endpoint.state.id, JSON.stringify(params)],
      );
      // The open twin finished in between: queue again, it will find what is left.
      if (!open[0]) return this.queue(kind, principal, endpoint, params, requestId);
      return { job_id: open[0].id, status: open[0].status, duplicate: true };
    }
    await this.audit.tryRecord({
      action: `scheduler.${kind}.requested`,
      accountId,
      target: { kind: 'endpoint', id: endpoint.state.id },
      actor: actorOf(principal),
      requestId,
      details: { job_id: id, ...params },
      dedupeKey: `${id}:requested`,
    });
    return { job_id: id, status: 'queued', duplicate: false };
  }
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(field, `${field} must be an ISO 8601 date-time`);
  return date;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'validation_failed', 'request validation failed', [{ field, message }]);
}

function toView(job: JobRecord): JobView {
  const succeeded = Number(job.succeeded);
  const failed = Number(job.failed);
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    account_id: job.account_id,
    endpoint_id: job.endpoint_id,
    params: job.params,
    total: job.total,
    queued: Number(job.queued),
    skipped: Number(job.skipped),
    done: succeeded + failed,
    succeeded,
    failed,
    error: job.error,
    requested_by: job.requested_by,
    created_at: job.created_at.toISOString(),
    started_at: job.started_at?.toISOString() ?? null,
    finished_at: job.finished_at?.toISOString() ?? null,
  };
}
