import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `scheduler` schema: projections of ACCOUNTS, ENDPOINTS and OUTCOMES (only what the jobs need), the job
 * queue, the max-deliveries advisories and the run log. Every projection keeps its stream checkpoint.
 */
export class InitialSchema1733400000000 implements MigrationInterface {
  name = 'InitialSchema1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS scheduler`);
    await q.query(`
      CREATE TABLE scheduler.checkpoints (
        stream text PRIMARY KEY,
        last_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE scheduler.api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE scheduler.endpoints (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        enabled boolean NOT NULL,
        deleted_at timestamptz,
        disabled_reason text,
        state jsonb NOT NULL,
        stream_seq bigint NOT NULL,
        streak_reset_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE scheduler.endpoint_health (
        endpoint_id text PRIMARY KEY,
        account_id text NOT NULL,
        first_failure_at timestamptz,
        last_failure_at timestamptz,
        last_success_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX endpoint_health_failing ON scheduler.endpoint_health (first_failure_at)
      WHERE first_failure_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE scheduler.endpoint_alerts (
        endpoint_id text NOT NULL,
        streak_started_at timestamptz NOT NULL,
        account_id text NOT NULL,
        warned_at timestamptz,
        disabled_at timestamptz,
        PRIMARY KEY (endpoint_id, streak_started_at)
      )`);
    await q.query(`
      CREATE TABLE scheduler.deliveries (
        id text PRIMARY KEY,
        endpoint_id text NOT NULL,
        account_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        final_at timestamptz,
        source_stream text,
        source_seq bigint,
        repairs integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX deliveries_failed ON scheduler.deliveries (endpoint_id, final_at) WHERE status = 'failed'`,
    );
    await q.query(
      `CREATE INDEX deliveries_pending ON scheduler.deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX deliveries_updated ON scheduler.deliveries (updated_at)`);
    await q.query(`
      CREATE TABLE scheduler.jobs (
        id text PRIMARY KEY,
        kind text NOT NULL,
        account_id text NOT NULL,
        endpoint_id text NOT NULL,
        params jsonb NOT NULL,
        status text NOT NULL,
        requested_by text NOT NULL,
        request_id text,
        total integer,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX jobs_open ON scheduler.jobs (created_at) WHERE status IN ('queued', 'running')`,
    );
    await q.query(`CREATE INDEX jobs_finished ON scheduler.jobs (finished_at)`);
    // The same request twice while the first is still open is the same job, whichever replica takes it.
    await q.query(`CREATE UNIQUE INDEX jobs_open_request ON scheduler.jobs (kind, endpoint_id, md5(params::text))
      WHERE status IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE scheduler.job_items (
        job_id text NOT NULL REFERENCES scheduler.jobs (id) ON DELETE CASCADE,
        delivery_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        source_stream text,
        source_seq bigint,
        queued_at timestamptz,
        skip_reason text,
        final_status text,
        finished_at timestamptz,
        PRIMARY KEY (job_id, delivery_id)
      )`);
    await q.query(`CREATE INDEX job_items_open ON scheduler.job_items (delivery_id)
      WHERE finished_at IS NULL AND queued_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE scheduler.advisories (
        seq bigint PRIMARY KEY,
        stream text NOT NULL,
        consumer text NOT NULL,
        stream_seq bigint NOT NULL,
        deliveries integer NOT NULL,
        raised_at timestamptz NOT NULL,
        processed_at timestamptz,
        outcome text
      )`);
    await q.query(
      `CREATE INDEX advisories_open ON scheduler.advisories (raised_at) WHERE processed_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE scheduler.job_runs (
        id bigserial PRIMARY KEY,
        job text NOT NULL,
        instance_id text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        result jsonb
      )`);
    await q.query(`CREATE INDEX job_runs_started ON scheduler.job_runs (started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'job_runs',
      'advisories',
      'job_items',
      'jobs',
      'deliveries',
      'endpoint_alerts',
      'endpoint_health',
      'endpoints',
      'api_keys',
      'checkpoints',
    ]) {
      await q.query(`DROP TABLE IF EXISTS scheduler.${table}`);
    }
  }
}
