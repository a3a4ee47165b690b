import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DELIVERY_COLUMNS,
  toAttemptView,
  toDeliveryView,
  type AttemptView,
  type DeliveryView,
} from '../../views/views.js';
import { cursorTime, decodeCursor, toPage, type Page } from '../cursor.js';
import { limitOf, type ListDeliveriesQuery } from '../dto/queries.dto.js';
import { Conditions, type Scope } from '../scope.js';

type ListRow = Record<string, unknown> & { cursor_at: string; id: string };

/** Reads of deliveries and attempts, always within a Scope. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: Scope, query: ListDeliveriesQuery): Promise<Page<DeliveryView>> {
    const c = new Conditions(scope, 'd.account_id')
      .add('d.account_id = ?', query.account_id)
      .add('d.endpoint_id = ?', query.endpoint_id)
      .add('d.event_type = ?', query.event_type)
      .add('d.status = ?', query.status)
      .add('d.event_id = ?', query.event_id)
      .add('d.created_at >= ?::timestamptz', query.since)
      .add('d.created_at < ?::timestamptz', query.until);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      c.where(`(d.created_at, d.id) < (${c.param(cursor.at)}::timestamptz, ${c.param(cursor.id)})`);
    }
    const limit = limitOf(query);
    const rows = await this.dataSource.query<ListRow[]>(
      `SELECT ${DELIVERY_COLUMNS}, ${cursorTime('d.created_at')} AS cursor_at
       FROM audit.deliveries d WHERE ${c.sql}
       ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit + 1}`,
      c.params,
    );
    return toPage(rows, limit, toDeliveryView);
  }

  async find(scope: Scope, id: string): Promise<DeliveryView | null> {
    const c = new Conditions(scope, 'd.account_id').add('d.id = ?', id);
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM audit.deliveries d WHERE ${c.sql}`,
      c.params,
    );
    return row ? toDeliveryView(row) : null;
  }

  async forEvent(scope: Scope, eventId: string): Promise<DeliveryView[]> {
    const c = new Conditions(scope, 'd.account_id').add('d.event_id = ?', eventId);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM audit.deliveries d WHERE ${c.sql} ORDER BY d.created_at, d.id`,
      c.params,
    );
    return rows.map(toDeliveryView);
  }

  /** Attempts of a delivery already found within the caller's scope, oldest first. */
  async attempts(scope: Scope, deliveryId: string): Promise<AttemptView[]> {
    const c = new Conditions(scope, 'a.account_id').add('a.delivery_id = ?', deliveryId);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT a.* FROM audit.attempts a WHERE ${c.sql} ORDER BY a.started_at, a.attempt`,
      c.params,
    );
    return rows.map(toAttemptView);
  }
}
