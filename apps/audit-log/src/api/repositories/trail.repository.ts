import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isoOrNull } from '../../views/views.js';
import { cursorTime, decodeCursor, toPage, type Page } from '../cursor.js';
import { limitOf, type AuditTrailQuery, type TimeRangeQuery } from '../dto/queries.dto.js';
import { Conditions, type Scope } from '../scope.js';

type ListRow = Record<string, unknown> & { cursor_at: string; id: string };

export interface AuditTrailView {
  id: string;
  actor: string;
  action: string;
  account_id: string | null;
  target: { kind: string; id: string };
  request_id: string | null;
  occurred_at: string;
  details: Record<string, unknown> | null;
}

export interface RejectedEventView {
  id: string;
  event_id: string | null;
  account_id: string | null;
  subject: string;
  raw: string;
  errors: { field: string; message: string }[];
  occurred_at: string;
}

/** The admin lists: audit trail and rejected events, newest first. */
@Injectable()
export class TrailRepository {
  constructor(private readonly dataSource: DataSource) {}

  async auditTrail(scope: Scope, query: AuditTrailQuery): Promise<Page<AuditTrailView>> {
    const c = this.timeConditions(scope, 't', query)
      .add('t.actor = ?', query.actor)
      .add('t.action = ?', query.action)
      .add('t.target_id = ?', query.target_id);
    const rows = await this.page('audit.audit_trail', 't', c, query);
    return toPage(rows, limitOf(query), (row) => ({
      id: row.id,
      actor: row.actor as string,
      action: row.action as string,
      account_id: (row.account_id as string | null) ?? null,
      target: { kind: row.target_kind as string, id: row.target_id as string },
      request_id: (row.request_id as string | null) ?? null,
      occurred_at: isoOrNull(row.occurred_at) ?? '',
      details: (row.details as Record<string, unknown> | null) ?? null,
    }));
  }

  async rejectedEvents(scope: Scope, query: TimeRangeQuery): Promise<Page<RejectedEventView>> {
    const c = this.timeConditions(scope, 'r', query);
    const rows = await this.page('audit.rejected_events', 'r', c, query);
    return toPage(rows, limitOf(query), (row) => ({
      id: row.id,
      event_id: (row.event_id as string | null) ?? null,
      account_id: (row.account_id as string | null) ?? null,
      subject: row.subject as string,
      raw: row.raw as string,
      errors: row.errors as RejectedEventView['errors'],
      occurred_at: isoOrNull(row.occurred_at) ?? '',
    }));
  }

  private timeConditions(scope: Scope, alias: string, query: TimeRangeQuery): Conditions {
    return new Conditions(scope, `${alias}.account_id`)
      .add(`${alias}.account_id = ?`, query.account_id)
      .add(`${alias}.occurred_at >= ?::timestamptz`, query.since)
      .add(`${alias}.occurred_at < ?::timestamptz`, query.until);
  }

  private async page(table: string, alias: string, c: Conditions, query: TimeRangeQuery): Promise<ListRow[]> {
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      c.where(
        `(${alias}.occurred_at, ${alias}.id) < (${c.param(cursor.at)}::timestamptz, ${c.param(cursor.id)})`,
      );
    }
    return await this.dataSource.query<ListRow[]>(
      `SELECT ${alias}.*, ${cursorTime(`${alias}.occurred_at`)} AS cursor_at FROM ${table} ${alias}
       WHERE ${c.sql} ORDER BY ${alias}.occurred_at DESC, ${alias}.id DESC LIMIT ${limitOf(query) + 1}`,
      c.params,
    );
  }
}
