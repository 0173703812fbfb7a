import { type DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities';
import { ConfigModule } from '@nestjs/config';
import { AccountsModule, ListAccountsCommand, RotateKeysCommand, SeedAccountCommand } from '@accounts';
import type { Environment } from '@config';
import { CliOutput, CommonModule, ProcessRole } from '@common';
import { CryptoModule } from '@crypto';
import { MigrateCommand, DatabaseModule } from '@database';
import { AccountEventsModule, EventsModule } from '@events';
import { MetricsModule } from '@metrics';
import { BackfillCommand, SendMessageCommand, MessagingModule } from '@messaging';

/** The commands of `npm run cli`, on the same modules and services as the HTTP server. */
@Module({})
export class CliModule {
  static register(environment: Environment): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => environment] }),
        CommonModule.forRoot(new ProcessRole(false)),
        DatabaseModule.forRoot(ENTITIES),
        MetricsModule,
        CryptoModule,
        AccountsModule,
        EventsModule,
        AccountEventsModule,
        MessagingModule,
      ],
      providers: [
        CliOutput,
        MigrateCommand,
        SeedAccountCommand,
        ListAccountsCommand,
        RotateKeysCommand,
        SendMessageCommand,
        BackfillCommand,
      ],
    };
  }
}
