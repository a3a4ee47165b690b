import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EndpointState } from '@codeplanet/event-schemas';
import { bigintAsNumber } from './columns.js';

/** Last stream sequence applied per projection, written in the same transaction as its rows. */
@Entity({ name: 'checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  stream!: string;

  @Column({ type: 'bigint', name: 'last_seq', transformer: bigintAsNumber })
  lastSeq!: number;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** From ACCOUNTS: enough to authenticate account keys on the job routes. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text', name: 'key_hash' })
  keyHash!: string;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}

/** From ENDPOINTS: the last fact per endpoint. `streak_reset_at` = created or last re-enabled. */
@Entity({ name: 'endpoints' })
export class EndpointEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'text', name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Column({ type: 'jsonb' })
  state!: EndpointState;

  @Column({ type: 'bigint', name: 'stream_seq', transformer: bigintAsNumber })
  streamSeq!: number;

  @Column({ type: 'timestamptz', name: 'streak_reset_at' })
  streakResetAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** From OUTCOMES: the failure streak per endpoint (first failure since the last success). */
@Entity({ name: 'endpoint_health' })
export class EndpointHealthEntity {
  @PrimaryColumn({ type: 'text', name: 'endpoint_id' })
  endpointId!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'timestamptz', name: 'first_failure_at', nullable: true })
  firstFailureAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_failure_at', nullable: true })
  lastFailureAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_success_at', nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** What auto-disable already did for one failure streak: warned once, disabled once. */
@Entity({ name: 'endpoint_alerts' })
export class EndpointAlertEntity {
  @PrimaryColumn({ type: 'text', name: 'endpoint_id' })
  endpointId!: string;

  @PrimaryColumn({ type: 'timestamptz', name: 'streak_started_at' })
  streakStartedAt!: Date;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'timestamptz', name: 'warned_at', nullable: true })
  warnedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;
}

/** From OUTCOMES (plus the tasks this app queues): one row per delivery, where its event body can be read. */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'endpoint_id' })
  endpointId!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'event_type' })
  eventType!: string;

  @Column({ type: 'text' })
  status!: 'pending' | 'succeeded' | 'failed';

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'last_attempt_at', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'final_at', nullable: true })
  finalAt!: Date | null;

  /** `outcomes` (an event.accepted fact) or `events`: where the body is, by sequence. */
  @Column({ type: 'text', name: 'source_stream', nullable: true })
  sourceStream!: string | null;

  @Column({ type: 'bigint', name: 'source_seq', nullable: true, transformer: bigintAsNumber })
  sourceSeq!: number | null;

  @Column({ type: 'integer' })
  repairs!: number;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
