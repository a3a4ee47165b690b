import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Keys are stored as sha256 hex only; the key itself is shown once at creation. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text', name: 'key_hash' })
  keyHash!: string;

  /** The first characters of the key, to recognise it in a list (`cpk_Ab3x`). */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
