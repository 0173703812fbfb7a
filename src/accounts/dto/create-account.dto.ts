import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { LoginType } from '@graph-api';
import type { NewAccount } from '../account.repository';
import {
  CredentialField,
  DisplayNameField,
  EXAMPLE_CREDENTIALS,
  AUTO_REPLY_LIMIT_MAX,
  AUTO_REPLY_LIMIT_MINUTES_MAX,
  AutoReplyLimitField,
  FallbackResponseField,
  IgUserIdField,
  LoginTypeField,
  PageIdField,
  UsernameField,
} from './account-fields';

export const ACCESS_TOKEN_MAX_LENGTH = 2048;
export const SECRET_MAX_LENGTH = 256;
/** Meta's app secrets are 32 hex characters; a short one makes webhook signatures guessable. */
export const APP_SECRET_MIN_LENGTH = 16;
/** Anyone may try verify tokens against the subscription route: a short one is guessed. */
export const VERIFY_TOKEN_MIN_LENGTH = 8;

export class CreateAccountDto {
  @UsernameField()
  username!: string;

  @IgUserIdField()
  igUserId!: string;

  @LoginTypeField()
  loginType?: LoginType;

  @PageIdField()
  pageId?: string | null;

  @CredentialField(
    ACCESS_TOKEN_MAX_LENGTH,
    'the account’s long-lived access token: an Instagram user token (Instagram Login), or the Page access token (Facebook Login)',
    EXAMPLE_CREDENTIALS.accessToken,
  )
  accessToken!: string;

  @CredentialField(
    SECRET_MAX_LENGTH,
    'secret of the Meta app the account is connected to: it signs the account’s webhooks (X-Hub-Signature-256) and, for Facebook Login, every Graph API call’s `appsecret_proof`',
    EXAMPLE_CREDENTIALS.appSecret,
    { minLength: APP_SECRET_MIN_LENGTH },
  )
  appSecret!: string;

  @CredentialField(
    SECRET_MAX_LENGTH,
    'verify token configured for the webhook in the Meta app dashboard',
    EXAMPLE_CREDENTIALS.verifyToken,
    { minLength: VERIFY_TOKEN_MIN_LENGTH },
  )
  verifyToken!: string;

  @DisplayNameField()
  displayName?: string | null;

  @FallbackResponseField()
  fallbackResponse?: string | null;

  @AutoReplyLimitField(
    AUTO_REPLY_LIMIT_MAX,
    'automatic replies one conversation may get within `autoReplyLimitMinutes`, so two bots cannot answer each other forever; null: 5',
    5,
  )
  autoReplyLimit?: number | null;

  @AutoReplyLimitField(AUTO_REPLY_LIMIT_MINUTES_MAX, 'the window of `autoReplyLimit`, in minutes; null: 10', 10)
  autoReplyLimitMinutes?: number | null;

  toNewAccount(): NewAccount {
    return {
      username: this.username,
      igUserId: this.igUserId,
      loginType: this.loginType,
      pageId: this.pageId,
      displayName: this.displayName,
      fallbackResponse: this.fallbackResponse,
      autoReplyLimit: this.autoReplyLimit,
      autoReplyLimitMinutes: this.autoReplyLimitMinutes,
      credentials: { accessToken: this.accessToken, appSecret: this.appSecret, verifyToken: this.verifyToken },
    };
  }
}

export class CreateAccountQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description:
      'check the token with Meta first (`GET /me`, or for Facebook Login `GET /{pageId}?fields=instagram_business_account`); 422 if Meta rejects it or it reaches another Instagram account',
    example: true,
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '$property must be true or false' })
  validate?: boolean;
}
