import { Module } from '@nestjs/common';
import { AdminApiModule } from '../common/admin-api/admin-api.module';
import { CryptoModule } from '../crypto/crypto.module';
import { GraphApiModule } from '../graph-api/graph-api.module';
import { AccountChangeFeed } from './account-change-feed';
import { AccountRepository } from './account.repository';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { CredentialRotationService } from './credential-rotation.service';
import { TypeOrmAccountRepository } from './persistence/typeorm-account.repository';

/**
 * The Instagram professional accounts and their encrypted credentials.
 * Other modules read accounts and decrypt credentials through `AccountRepository`.
 */
@Module({
  imports: [CryptoModule, GraphApiModule, AdminApiModule],
  controllers: [AccountsController],
  providers: [
    { provide: AccountRepository, useClass: TypeOrmAccountRepository },
    AccountChangeFeed,
    AccountsService,
    CredentialRotationService,
  ],
  exports: [AccountRepository, AccountChangeFeed, AccountsService, CredentialRotationService],
})
export class AccountsModule {}
