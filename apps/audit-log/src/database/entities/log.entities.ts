import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who changed what (AUDIT). */
@Entity({ name: 'audit_trail' })
export class AuditTrailEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) actor!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text', nullable: true }) account_id!: string | null;
  @Column({ type: 'text' }) target_kind!: string;
  @Column({ type: 'text' }) target_id!: string;
  @Column({ type: 'text', nullable: true }) request_id!: string | null;
  @Column({ type: 'timestamptz' }) occurred_at!: Date;
  @Column({ type: 'jsonb', nullable: true }) details!: Record<string, unknown> | null;
}

/** Events that failed their schema (`event.rejected` on OUTCOMES); id is the event id, or `seq_<n>` without one. */
@Entity({ name: 'rejected_events' })
export class RejectedEventEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'bigint' }) stream_seq!: string;
  @Column({ type: 'text', nullable: true }) event_id!: string | null;
  @Column({ type: 'text', nullable: true }) account_id!: string | null;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) raw!: string;
  @Column({ type: 'jsonb' }) errors!: { field: string; message: string }[];
  @Column({ type: 'timestamptz' }) occurred_at!: Date;
}

/**
 * `scheduler.retention_purge` requests seen on AUDIT, written with the batch that applied the fact and carried out
 * after it committed (retention/retention-purger.ts). `completed_at` is the time the purge finished (operational,
 * not a fact time); `purged` what it removed.
 */
@Entity({ name: 'purge_requests' })
export class PurgeRequestEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'timestamptz' }) purge_before!: Date;
  @Column({ type: 'timestamptz' }) requested_at!: Date;
  @Column({ type: 'timestamptz', nullable: true }) completed_at!: Date | null;
  @Column({ type: 'jsonb', nullable: true }) purged!: Record<string, unknown> | null;
}

/**
 * Per stream: the highest sequence applied, plus the sequences below it not applied yet (`missing`, inclusive
 * ranges), written in the same transaction as the rows. See projection/checkpoint.ts.
 */
@Entity({ name: 'checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'text' }) stream!: string;
  @Column({ type: 'bigint' }) last_seq!: string;
  @Column({ type: 'jsonb' }) missing!: Array<[number, number]>;
  @Column({ type: 'timestamptz' }) updated_at!: Date;
}
