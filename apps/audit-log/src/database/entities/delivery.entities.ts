import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per (event, endpoint[, replay job]): the Logs view. Written only by the projectors and the retry route. */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) event_id!: string;
  @Column({ type: 'text' }) endpoint_id!: string;
  @Column({ type: 'text' }) account_id!: string;
  @Column({ type: 'text' }) event_type!: string;
  @Column({ type: 'text' }) status!: 'pending' | 'succeeded' | 'failed';
  /** Precedence among facts with the same time: accepted 0 < pending 1 < final 2. */
  @Column({ type: 'smallint' }) status_rank!: number;
  /** Time of the fact that set `status`; null while only `event.accepted` is known. */
  @Column({ type: 'timestamptz', nullable: true }) status_at!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) next_attempt_at!: Date | null;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ type: 'integer', nullable: true }) last_attempt!: number | null;
  @Column({ type: 'timestamptz', nullable: true }) last_attempt_at!: Date | null;
  @Column({ type: 'integer', nullable: true }) last_status_code!: number | null;
  @Column({ type: 'text', nullable: true }) last_error!: string | null;
  @Column({ type: 'timestamptz' }) created_at!: Date;
  @Column({ type: 'timestamptz' }) updated_at!: Date;
}

/** One row per HTTP attempt. A manual retry restarts attempt numbers, so `started_at` is part of the key. */
@Entity({ name: 'attempts' })
export class AttemptEntity {
  @PrimaryColumn({ type: 'text' }) delivery_id!: string;
  @PrimaryColumn({ type: 'integer' }) attempt!: number;
  @PrimaryColumn({ type: 'timestamptz' }) started_at!: Date;
  @Column({ type: 'text' }) event_id!: string;
  @Column({ type: 'text' }) endpoint_id!: string;
  @Column({ type: 'text' }) account_id!: string;
  @Column({ type: 'text' }) event_type!: string;
  @Column({ type: 'text' }) outcome!: 'succeeded' | 'failed';
  @Column({ type: 'integer', nullable: true }) status_code!: number | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'text', nullable: true }) response_body!: string | null;
  @Column({ type: 'jsonb' }) request_headers!: Record<string, string>;
  @Column({ type: 'integer' }) duration_ms!: number;
  @Column({ type: 'timestamptz', nullable: true }) next_attempt_at!: Date | null;
}
