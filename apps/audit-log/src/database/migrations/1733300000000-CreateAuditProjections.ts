import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table here is a projection of the streams (DESIGN.md): `node dist/cli/rebuild.js` truncates them all and
 * replays. Times are facts' times, never now(), so a rebuild reproduces every column.
 */
export class CreateAuditProjections1733300000000 implements MigrationInterface {
  name = 'CreateAuditProjections1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS audit`);
    await q.query(`
      CREATE TABLE audit.checkpoints (
        stream text PRIMARY KEY,
        last_seq bigint NOT NULL,
        missing jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit.events (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        type text NOT NULL,
        created_at timestamptz NOT NULL,
        test boolean NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX events_account_created ON audit.events (account_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE audit.endpoints (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        enabled boolean NOT NULL,
        disabled_reason text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX endpoints_account ON audit.endpoints (account_id)`);
    await q.query(`
      CREATE TABLE audit.accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit.api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        key_hash text UNIQUE,
        prefix text,
        created_at timestamptz,
        revoked_at timestamptz
      )`);
    await this.createDeliveryTables(q);
    await q.query(`
      CREATE TABLE audit.rejected_events (
        id text PRIMARY KEY,
        stream_seq bigint NOT NULL,
        event_id text,
        account_id text,
        subject text NOT NULL,
        raw text NOT NULL,
        errors jsonb NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX rejected_events_occurred ON audit.rejected_events (occurred_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE audit.audit_trail (
        id text PRIMARY KEY,
        actor text NOT NULL,
        action text NOT NULL,
        account_id text,
        target_kind text NOT NULL,
        target_id text NOT NULL,
        request_id text,
        occurred_at timestamptz NOT NULL,
        details jsonb
      )`);
    await q.query(`CREATE INDEX audit_trail_occurred ON audit.audit_trail (occurred_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX audit_trail_account ON audit.audit_trail (account_id, occurred_at DESC, id DESC)`,
    );
  }

  private async createDeliveryTables(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit.deliveries (
        id text PRIMARY KEY,
        event_id text NOT NULL,
        endpoint_id text NOT NULL,
        account_id text NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        status_rank smallint NOT NULL,
        status_at timestamptz,
        next_attempt_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_attempt integer,
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX deliveries_created ON audit.deliveries (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX deliveries_account_created ON audit.deliveries (account_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX deliveries_endpoint_created ON audit.deliveries (endpoint_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX deliveries_event ON audit.deliveries (event_id)`);
    await q.query(`
      CREATE TABLE audit.attempts (
        delivery_id text NOT NULL,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        event_id text NOT NULL,
        endpoint_id text NOT NULL,
        account_id text NOT NULL,
        event_type text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
        status_code integer,
        error text,
        response_body text,
        request_headers jsonb NOT NULL,
        duration_ms integer NOT NULL,
        next_attempt_at timestamptz,
        PRIMARY KEY (delivery_id, attempt, started_at)
      )`);
    await q.query(`CREATE INDEX attempts_endpoint_started ON audit.attempts (endpoint_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'attempts',
      'deliveries',
      'audit_trail',
      'rejected_events',
      'api_keys',
      'accounts',
      'endpoints',
      'events',
      'checkpoints',
    ]) {
      await q.query(`DROP TABLE IF EXISTS audit.${table}`);
    }
  }
}
