import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { EncryptedSecret } from '@codeplanet/event-schemas';

/** pg returns bigint as a string; stream sequences stay far below 2^53. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/**
 * Projection of the ENDPOINTS stream: the last fact per endpoint, with the stream sequence it came from (the
 * expected-last-subject-sequence of the next write). Deleted endpoints stay as tombstones so a late, older fact
 * can never bring them back.
 */
@Entity({ name: 'endpoints' })
export class EndpointEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'jsonb' })
  events!: string[];

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'text', name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  /** Encrypted secrets, newest first (never plaintext). */
  @Column({ type: 'jsonb' })
  secrets!: EncryptedSecret[];

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'bigint', name: 'stream_seq', transformer: bigintAsNumber })
  streamSeq!: number;

  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
