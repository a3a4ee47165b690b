import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { LessThan, type DataSource, type Repository } from 'typeorm';
import { IdempotencyKeyEntity } from '../database/entities/index.js';
import type { StoredRequest } from './idempotency.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

@Injectable()
export class TypeOrmIdempotencyRepository implements IdempotencyRepository {
  constructor(
    @InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async find(scope: string, key: string): Promise<StoredRequest | null> {
    const row = await this.keys.findOneBy({ scope, key });
    return row
      ? { requestHash: row.requestHash, event: row.event, state: row.state, createdAt: row.createdAt }
      : null;
  }

  async claim(scope: string, key: string, request: StoredRequest, expiredBefore: Date): Promise<boolean> {
    const rows: unknown = await this.dataSource.query(
      `INSERT INTO subscriptions.idempotency_keys AS k (scope, key, request_hash, event, state, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (scope, key) DO UPDATE SET
         request_hash = EXCLUDED.request_hash, event = EXCLUDED.event, state = EXCLUDED.state,
         created_at = EXCLUDED.created_at
       WHERE k.created_at < $7
       RETURNING key`,
      [
        scope,
        key,
        request.requestHash,
        JSON.stringify(request.event),
        request.state,
        request.createdAt,
        expiredBefore,
      ],
    );
    return Array.isArray(rows) && rows.length > 0;
  }

  async markDone(scope: string, key: string): Promise<void> {
    await this.keys.update({ scope, key }, { state: 'done' });
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.keys.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
