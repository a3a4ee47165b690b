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
