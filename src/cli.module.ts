import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AccountsModule } from '@accounts/accounts.module';
import { ListAccountsCommand } from '@accounts/commands/list-accounts.command';
import { RotateKeysCommand } from '@accounts/commands/rotate-keys.command';
import { SeedAccountCommand } from '@accounts/commands/seed-account.command';
import type { Environment } from '@config/environment';
import { CliOutput } from '@common/cli-output';
import { CryptoModule } from '@crypto/crypto.module';
import { MigrateCommand } from '@database/commands/migrate.command';
import { DatabaseModule } from '@database/database.module';
import { MetricsModule } from '@metrics/metrics.module';
import { SendMessageCommand } from '@messaging/operator/send-message.command';
import { MessagingModule } from '@messaging/messaging.module';
import { CommonModule } from '@common/common.module';
import { ProcessRole } from '@common/process-role';

/** The commands of `npm run cli`, on the same modules and services as the HTTP server. */
@Module({})
export class CliModule {
  static register(environment: Environment): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => environment] }),
        CommonModule.forRoot(new ProcessRole(false)),
        DatabaseModule,
        MetricsModule,
        CryptoModule,
        AccountsModule,
        MessagingModule,
      ],
      providers: [
        CliOutput,
        MigrateCommand,
        SeedAccountCommand,
        ListAccountsCommand,
        RotateKeysCommand,
        SendMessageCommand,
      ],
    };
  }
}
