import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Valid domain events (EVENTS, and the copy inside `event.accepted`). */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) account_id!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'timestamptz' }) created_at!: Date;
  @Column({ type: 'boolean' }) test!: boolean;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
}

/** The last known state of each endpoint (ENDPOINTS). Secrets are never stored here. */
@Entity({ name: 'endpoints' })
export class EndpointEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) account_id!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'text', array: true }) events!: string[];
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ type: 'text', nullable: true }) disabled_reason!: string | null;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'timestamptz' }) created_at!: Date;
  @Column({ type: 'timestamptz' }) updated_at!: Date;
  @Column({ type: 'timestamptz', nullable: true }) deleted_at!: Date | null;
}

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'timestamptz' }) created_at!: Date;
}

/** Account API keys by hash (ACCOUNTS), so this app authenticates keys without calling subscriptions-api. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) account_id!: string;
  @Column({ type: 'text', nullable: true, unique: true }) key_hash!: string | null;
  @Column({ type: 'text', nullable: true }) prefix!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) created_at!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revoked_at!: Date | null;
}
