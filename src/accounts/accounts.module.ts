import { Module } from '@nestjs/common';
import { AdminApiModule } from '@http';
import { CryptoModule } from '@crypto';
import { GraphApiModule } from '@graph-api';
import { AccountChangeFeed } from './account-change-feed';
import { AccountRepository } from './account.repository';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { CredentialRotationService } from './credential-rotation.service';
import { CredentialsCache } from './credentials-cache';
import { MessengerProfileController } from './messenger-profile/messenger-profile.controller';
import { MessengerProfileRepository } from './messenger-profile/messenger-profile.repository';
import { MessengerProfileService } from './messenger-profile/messenger-profile.service';
import { TypeOrmMessengerProfileRepository } from './persistence/typeorm-messenger-profile.repository';
import { AccessTokenRefresher } from './tokens/access-token-refresher';
import { TokenRefreshSettings } from './tokens/token-refresh-settings';
import { TypeOrmAccountRepository } from './persistence/typeorm-account.repository';

/**
 * The Instagram professional accounts and their encrypted credentials.
 * Other modules read accounts through `AccountRepository` and credentials through `CredentialsCache`.
 */
@Module({
  imports: [CryptoModule, GraphApiModule, AdminApiModule],
  controllers: [AccountsController, MessengerProfileController],
  providers: [
    { provide: AccountRepository, useClass: TypeOrmAccountRepository },
    AccountChangeFeed,
    AccountsService,
    CredentialRotationService,
    CredentialsCache,
    { provide: TokenRefreshSettings, useValue: new TokenRefreshSettings() },
    AccessTokenRefresher,
    { provide: MessengerProfileRepository, useClass: TypeOrmMessengerProfileRepository },
    MessengerProfileService,
  ],
  exports: [
    AccountRepository,
    AccountChangeFeed,
    AccountsService,
    CredentialRotationService,
    CredentialsCache,
    TokenRefreshSettings,
  ],
})
export class AccountsModule {}
