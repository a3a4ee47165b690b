import { beforeEach, describe, expect, it } from '@jest/globals';
import { EVENT_CATALOG, type EventEnvelope } from '@codeplanet/event-schemas';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { RequestContext } from '../common/request-context.js';
import type { FactPublisher } from '../messaging/fact-publisher.js';
import type { StoredRequest } from './idempotency.js';
import type { IdempotencyRepository } from './idempotency.repository.js';
import { IngestService } from './ingest.service.js';

/** The ingest use case with in-memory collaborators: what is published, what is stored, what is answered. */
class MemoryIdempotency implements IdempotencyRepository {
  rows = new Map<string, StoredRequest>();
  /** Simulates a concurrent request that claims the key between our find and our claim. */
  interloper: StoredRequest | undefined;

  find(scope: string, key: string): Promise<StoredRequest | null> {
    return Promise.resolve(this.rows.get(`${scope}/${key}`) ?? null);
  }
  claim(scope: string, key: string, request: StoredRequest, expiredBefore: Date): Promise<boolean> {
    if (this.interloper) {
      this.rows.set(`${scope}/${key}`, this.interloper);
      this.interloper = undefined;
      return Promise.resolve(false);
    }
    const existing = this.rows.get(`${scope}/${key}`);
    if (existing && existing.createdAt >= expiredBefore) return Promise.resolve(false);
    this.rows.set(`${scope}/${key}`, request);
    return Promise.resolve(true);
  }
  markDone(scope: string, key: string): Promise<void> {
    const row = this.rows.get(`${scope}/${key}`);
    if (row) row.state = 'done';
    return Promise.resolve();
  }
  deleteOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }
}

const context: RequestContext = { principal: { kind: 'admin' }, actor: 'admin', requestId: 'req_1' };
const body = (): Record<string, unknown> => ({
  type: 'payment.completed',
  account_id: 'acct_1',
  data: { ...EVENT_CATALOG['payment.completed'].example.data },
});

describe('IngestService', () => {
  let published: EventEnvelope[];
  let idempotency: MemoryIdempotency;
  let failPublish: boolean;
  let service: IngestService;

  beforeEach(() => {
    published = [];
    failPublish = false;
    idempotency = new MemoryIdempotency();
    const publisher = {
      event: (event: EventEnvelope) => {
        if (failPublish) return Promise.reject(new Error('nats down'));
        published.push(event);
        return Promise.resolve({ duplicate: false });
      },
    } as unknown as FactPublisher;
    const accounts = {
      exists: (id: string) => Promise.resolve(id === 'acct_1'),
    } as unknown as AccountsRepository;
    const audit = { record: () => Promise.resolve() } as unknown as AuditTrail;
    service = new IngestService(publisher, idempotency, accounts, audit);
  });

  it('publishes once per key and replays the answer', async () => {
    const first = await service.ingest(context, body(), 'k1');
    const again = await service.ingest(context, body(), 'k1');
    expect(again).toEqual({ id: first.id, replayed: true });
    expect(published.map((e) => e.id)).toEqual([first.id]);
    expect(idempotency.rows.get('admin/k1')!.state).toBe('done');
  });

  it('leaves the key pending when the publish fails, and the retry publishes the same event', async () => {
    failPublish = true;
    await expect(service.ingest(context, body(), 'k2')).rejects.toThrow('nats down');
    const pending = idempotency.rows.get('admin/k2')!;
    expect(pending.state).toBe('pending');
    failPublish = false;
    const retry = await service.ingest(context, body(), 'k2');
    expect(retry.id).toBe(pending.event.id);
    expect(published).toEqual([pending.event]);
  });

  it('answers like the request that claimed the key first', async () => {
    const winner: StoredRequest = {
      requestHash: (await import('./idempotency.js')).requestHashOf(body()),
      event: { id: 'evt_winner' } as EventEnvelope,
      state: 'done',
      createdAt: new Date(),
    };
    idempotency.interloper = winner;
    expect(await service.ingest(context, body(), 'k3')).toEqual({ id: 'evt_winner', replayed: true });
    expect(published).toEqual([]);
  });

  it('publishes without a key, every time', async () => {
    await service.ingest(context, body(), undefined);
    await service.ingest(context, body(), undefined);
    expect(new Set(published.map((e) => e.id)).size).toBe(2);
  });
});
