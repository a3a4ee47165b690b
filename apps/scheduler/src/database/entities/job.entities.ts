import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './columns.js';

export type JobKind = 'recover' | 'replay';
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A recover or replay request. Any replica inserts it; the leader runs it. */
@Entity({ name: 'jobs' })
export class JobEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: JobKind;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text', name: 'endpoint_id' })
  endpointId!: string;

  @Column({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: JobStatus;

  @Column({ type: 'text', name: 'requested_by' })
  requestedBy!: string;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;

  /** Null until the leader has selected the job's deliveries. */
  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}

/** One delivery a job queues: selected first (so a job resumes after a failover), then queued, then finished. */
@Entity({ name: 'job_items' })
export class JobItemEntity {
  @PrimaryColumn({ type: 'text', name: 'job_id' })
  jobId!: string;

  @PrimaryColumn({ type: 'text', name: 'delivery_id' })
  deliveryId!: string;

  @Column({ type: 'text', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'event_type' })
  eventType!: string;

  @Column({ type: 'text', name: 'source_stream', nullable: true })
  sourceStream!: string | null;

  @Column({ type: 'bigint', name: 'source_seq', nullable: true, transformer: bigintAsNumber })
  sourceSeq!: number | null;

  @Column({ type: 'timestamptz', name: 'queued_at', nullable: true })
  queuedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'text', name: 'skip_reason', nullable: true })
  skipReason!: string | null;

  @Column({ type: 'text', name: 'final_status', nullable: true })
  finalStatus!: string | null;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}

/** Every run of a leader job, by which replica: the lease's audit trail. */
@Entity({ name: 'job_runs' })
export class JobRunEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  job!: string;

  @Column({ type: 'text', name: 'instance_id' })
  instanceId!: string;

  @Column({ type: 'timestamptz', name: 'started_at' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;
}

/** A `scheduler.retention_purge` fact published to audit-log, one per retention window. */
@Entity({ name: 'purge_requests' })
export class PurgeRequestEntity {
  @PrimaryColumn({ type: 'timestamptz', name: 'purge_before' })
  purgeBefore!: Date;

  @Column({ type: 'timestamptz', name: 'window_start' })
  windowStart!: Date;

  @Column({ type: 'text', name: 'fact_id' })
  factId!: string;

  @Column({ type: 'timestamptz', name: 'published_at' })
  publishedAt!: Date;
}

/** A max-deliveries advisory on the RETRIES consumer, waiting for its grace period, then reconciled. */
@Entity({ name: 'advisories' })
export class AdvisoryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  seq!: number;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'text' })
  consumer!: string;

  @Column({ type: 'bigint', name: 'stream_seq', transformer: bigintAsNumber })
  streamSeq!: number;

  @Column({ type: 'integer' })
  deliveries!: number;

  @Column({ type: 'timestamptz', name: 'raised_at' })
  raisedAt!: Date;

  @Column({ type: 'timestamptz', name: 'processed_at', nullable: true })
  processedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;
}
