import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { EndpointState } from '@codeplanet/event-schemas';
import type { AccountScope } from '../common/account-scope.js';
import type { PageRequest } from '../common/pagination.js';
import { EndpointEntity } from '../database/entities/index.js';
import type {
  EndpointProjection,
  EndpointsRepository,
  LockedEndpoints,
  StoredEndpoint,
} from './endpoints.repository.js';

@Injectable()
export class TypeOrmEndpointsRepository implements EndpointsRepository, EndpointProjection {
  constructor(
    @InjectRepository(EndpointEntity) private readonly endpoints: Repository<EndpointEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async find(scope: AccountScope, id: string): Promise<StoredEndpoint | null> {
    const row = await this.endpoints.findOneBy({ id, accountId: scope.accountId, deletedAt: IsNull() });
    return row ? toStored(row) : null;
  }

  async list(scope: AccountScope, page: PageRequest): Promise<StoredEndpoint[]> {
    const rows = await this.endpoints.find({
      where: {
        accountId: scope.accountId,
        deletedAt: IsNull(),
        ...(page.after ? { id: MoreThan(page.after) } : {}),
      },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return rows.map(toStored);
  }

  /**
   * The lock is a transaction-scoped advisory lock; the count and the projection write run on the same
   * connection, so requests queued behind the lock never starve the one holding it of pool connections.
   */
  async withCreateLock<T>(scope: AccountScope, work: (locked: LockedEndpoints) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `endpoints-create:${scope.accountId}`,
      ]);
      return work({
        countLive: () => manager.countBy(EndpointEntity, { accountId: scope.accountId, deletedAt: IsNull() }),
        apply: (state, streamSeq, deleted) => upsert(manager, state, streamSeq, deleted),
      });
    });
  }

  async apply(state: EndpointState, streamSeq: number, deleted: boolean): Promise<boolean> {
    return upsert(this.dataSource.manager, state, streamSeq, deleted);
  }
}

/** Inserts or replaces the row unless it already holds this fact or a newer one. True when the row changed. */
async function upsert(
  manager: EntityManager,
  state: EndpointState,
  streamSeq: number,
  deleted: boolean,
): Promise<boolean> {
  const result: unknown = await manager.query(
    `INSERT INTO subscriptions.endpoints AS e
       (id, account_id, url, events, description, enabled, disabled_reason, secrets,
        created_at, updated_at, version, stream_seq, deleted_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)
     ON CONFLICT (id) DO UPDATE SET
       url = EXCLUDED.url, events = EXCLUDED.events, description = EXCLUDED.description,
       enabled = EXCLUDED.enabled, disabled_reason = EXCLUDED.disabled_reason, secrets = EXCLUDED.secrets,
       updated_at = EXCLUDED.updated_at, version = EXCLUDED.version, stream_seq = EXCLUDED.stream_seq,
       deleted_at = EXCLUDED.deleted_at
     WHERE e.stream_seq < EXCLUDED.stream_seq
     RETURNING id`,
    [
      state.id,
      state.account_id,
      state.url,
      JSON.stringify(state.events),
      state.description,
      state.enabled,
      state.disabled_reason,
      JSON.stringify(state.secrets),
      state.created_at,
      state.updated_at,
      state.version,
      streamSeq,
      deleted ? state.updated_at : null,
    ],
  );
  return Array.isArray(result) && result.length > 0;
}

function toStored(row: EndpointEntity): StoredEndpoint {
  return {
    streamSeq: row.streamSeq,
    state: {
      id: row.id,
      account_id: row.accountId,
      url: row.url,
      events: row.events,
      description: row.description,
      enabled: row.enabled,
      disabled_reason: row.disabledReason,
      secrets: row.secrets,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      version: row.version,
    },
  };
}
