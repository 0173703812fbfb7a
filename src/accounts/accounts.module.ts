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
import { AccessTokenRefresher } from './tokens/access-token-refresher';
import { TokenRefreshSettings } from './tokens/token-refresh-settings';
import { TypeOrmAccountRepository } from './persistence/typeorm-account.repository';

/**
 * The Instagram professional accounts and their encrypted credentials.
 * Other modules read accounts through `AccountRepository` and credentials through `CredentialsCache`.
 */
@Module({
  imports: [CryptoModule, GraphApiModule, AdminApiModule],
  controllers: [AccountsController],
  providers: [
    { provide: AccountRepository, useClass: TypeOrmAccountRepository },
    AccountChangeFeed,
    AccountsService,
    CredentialRotationService,
    CredentialsCache,
    { provide: TokenRefreshSettings, useValue: new TokenRefreshSettings() },
    AccessTokenRefresher,
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
