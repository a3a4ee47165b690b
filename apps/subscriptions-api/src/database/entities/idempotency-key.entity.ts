import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EventEnvelope } from '@codeplanet/event-schemas';

/** `Idempotency-Key` of `POST /v1/events`, per caller (`scope` = admin or service token), kept 24 hours. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text', name: 'request_hash' })
  requestHash!: string;

  @Column({ type: 'jsonb' })
  event!: EventEnvelope;

  @Column({ type: 'text' })
  state!: 'pending' | 'done';

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
