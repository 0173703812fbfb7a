import type { AccountChanges } from '../account.repository';
import {
  CredentialField,
  DisplayNameField,
  EXAMPLE_CREDENTIALS,
  FallbackResponseField,
  IgUserIdField,
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

  @IsActiveField()
  isActive?: boolean;

  toChanges(): AccountChanges {
    return {
      username: this.username,
      igUserId: this.igUserId,
      displayName: this.displayName,
      fallbackResponse: this.fallbackResponse,
      isActive: this.isActive,
      credentials: { accessToken: this.accessToken, appSecret: this.appSecret, verifyToken: this.verifyToken },
    };
  }
}
