import { ApiProperty } from '@nestjs/swagger';
import { mapPage } from '@common';
import type { Page } from '@common';
import { LOGIN_TYPES, type LoginType, WEBHOOK_FIELDS } from '@graph-api';
import { NextCursorProperty } from '@http';
import type { TokenStatus } from '../account';
import type { AccountView } from '../accounts.service';

/** What the admin API shows of an account: a whitelist, so no credential can slip in. */
export class AccountResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d' })
  id!: string;

  @ApiProperty({ example: 'ser_bain' })
  username!: string;

  @ApiProperty({ example: '17841400000000001' })
  igUserId!: string;

  @ApiProperty({
    enum: LOGIN_TYPES,
    description: 'Instagram Login (an Instagram user token) or Facebook Login (the linked Page’s token)',
    example: 'instagram',
  })
  loginType!: LoginType;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the Facebook Page linked to the Instagram account, for Facebook Login; null for Instagram Login',
    example: null,
  })
  pageId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ser Bain Coffee' })
  displayName!: string | null;

  @ApiProperty({ description: 'false once deactivated: its webhooks answer 404', example: true })
  isActive!: boolean;

  @ApiProperty({
    enum: ['unknown', 'valid', 'invalid'],
    description: '`valid` once Meta accepted the token, `invalid` once Meta rejected it (its messages are held)',
    example: 'valid',
  })
  tokenStatus!: TokenStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-05-13T09:26:53.589Z' })
  tokenExpiresAt!: Date | null;

  @ApiProperty({
    description: 'the callback URL to configure for this account in the Meta app dashboard',
    example: 'https://gateway.example.com/webhooks/instagram/019ac4a2-6f1e-7c3a-9d2b-3f4e5a6b7c8d',
  })
  webhookUrl!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Thanks for your message! We will get back to you soon.' })
  fallbackResponse!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'automatic replies one conversation may get within `autoReplyLimitMinutes`; null: 5',
    example: null,
  })
  autoReplyLimit!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: 10', example: null })
  autoReplyLimitMinutes!: number | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:26:53.589Z' })
  updatedAt!: Date;

  static from(account: AccountView): AccountResponseDto {
    return Object.assign(new AccountResponseDto(), {
      id: account.id,
      username: account.username,
      igUserId: account.igUserId,
      loginType: account.loginType,
      pageId: account.pageId,
      displayName: account.displayName,
      isActive: account.isActive,
      tokenStatus: account.tokenStatus,
      tokenExpiresAt: account.tokenExpiresAt,
      webhookUrl: account.webhookUrl,
      fallbackResponse: account.fallbackResponse,
      autoReplyLimit: account.autoReplyLimit,
      autoReplyLimitMinutes: account.autoReplyLimitMinutes,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    });
  }
}

export class AccountPageDto {
  @ApiProperty({ type: [AccountResponseDto] })
  items!: AccountResponseDto[];

  @NextCursorProperty()
  nextCursor!: string | null;

  static from(page: Page<AccountView>): AccountPageDto {
    return mapPage(page, (account) => AccountResponseDto.from(account));
  }
}

export class SubscriptionResponseDto {
  @ApiProperty({ example: true })
  subscribed!: boolean;

  @ApiProperty({
    type: [String],
    description:
      'the fields subscribed: the Instagram webhook fields for Instagram Login; for Facebook Login the Page’s (Meta then sends the Instagram fields the app subscribes to in the App Dashboard)',
    example: [...WEBHOOK_FIELDS],
  })
  fields!: string[];
}
