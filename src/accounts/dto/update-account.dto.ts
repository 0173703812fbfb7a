import type { LoginType } from '@graph-api';
import type { AccountChanges } from '../account.repository';
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
  IsActiveField,
  UsernameField,
} from './account-fields';
import {
  ACCESS_TOKEN_MAX_LENGTH,
  APP_SECRET_MIN_LENGTH,
  SECRET_MAX_LENGTH,
  VERIFY_TOKEN_MIN_LENGTH,
} from './create-account.dto';

/** Any subset of the POST fields, plus `isActive`; credentials given are re-encrypted. */
export class UpdateAccountDto {
  @UsernameField({ optional: true })
  username?: string;

  @IgUserIdField({ optional: true })
  igUserId?: string;

  @LoginTypeField()
  loginType?: LoginType;

  @PageIdField()
  pageId?: string | null;

  @CredentialField(
    ACCESS_TOKEN_MAX_LENGTH,
    'a new access token (the token status starts over)',
    EXAMPLE_CREDENTIALS.accessToken,
    { optional: true },
  )
  accessToken?: string;

  @CredentialField(SECRET_MAX_LENGTH, 'a new app secret', EXAMPLE_CREDENTIALS.appSecret, {
    optional: true,
    minLength: APP_SECRET_MIN_LENGTH,
  })
  appSecret?: string;

  @CredentialField(SECRET_MAX_LENGTH, 'a new verify token', EXAMPLE_CREDENTIALS.verifyToken, {
    optional: true,
    minLength: VERIFY_TOKEN_MIN_LENGTH,
  })
  verifyToken?: string;

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

  @IsActiveField()
  isActive?: boolean;

  toChanges(): AccountChanges {
    return {
      username: this.username,
      igUserId: this.igUserId,
      loginType: this.loginType,
      pageId: this.pageId,
      displayName: this.displayName,
      fallbackResponse: this.fallbackResponse,
      autoReplyLimit: this.autoReplyLimit,
      autoReplyLimitMinutes: this.autoReplyLimitMinutes,
      isActive: this.isActive,
      credentials: { accessToken: this.accessToken, appSecret: this.appSecret, verifyToken: this.verifyToken },
    };
  }
}
