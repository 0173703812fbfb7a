import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '@database';

@Entity('accounts')
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 30 })
  username!: string;

  @Column({ type: 'varchar', length: 32 })
  igUserId!: string;

  @Column({ type: 'varchar', length: 16, default: 'instagram' })
  loginType!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  pageId!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  displayName!: string | null;

  @Column({ type: 'text' })
  accessTokenCiphertext!: string;

  @Column({ type: 'text' })
  appSecretCiphertext!: string;

  @Column({ type: 'text' })
  verifyTokenCiphertext!: string;

  @Column({ type: 'text', nullable: true })
  fallbackResponse!: string | null;

  @Column({ type: 'int', nullable: true })
  autoReplyLimit!: number | null;

  @Column({ type: 'int', nullable: true })
  autoReplyLimitMinutes!: number | null;

  @Column({ type: 'boolean' })
  isActive!: boolean;

  @Column({ type: 'varchar', length: 16 })
  tokenStatus!: string;

  @Column(timestampColumn({ nullable: true }))
  tokenExpiresAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  tokenRefreshedAt!: Date | null;

  @Column({ type: 'int' })
  rulesVersion!: number;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
