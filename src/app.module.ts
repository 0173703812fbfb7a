import { type DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from '@accounts';
import type { Environment } from '@config';
import { CommonModule, ProcessRole } from '@common';
import { HttpErrorFilter } from '@http';
import { ContactsModule } from '@contacts';
import { CryptoModule } from '@crypto';
import { DatabaseModule } from '@database';
import { AccountEventsModule, EventsModule } from '@events';
import { HealthModule } from '@health';
import { buildLoggerOptions } from '@logging';
import { MessagingModule } from '@messaging';
import { MetricsModule } from '@metrics';
import { RetentionModule } from '@retention';
import { RulesModule } from '@rules';
import { TemplatesModule } from '@templates';
import { WebhooksModule } from '@webhooks';

/**
 * The service as one modular monolith. The environment is validated before
 * this module is built and handed in, so configuration is read once.
 */
@Module({})
export class AppModule {
  static register(environment: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => environment] }),
        CommonModule.forRoot(new ProcessRole(true)),
        LoggerModule.forRoot(buildLoggerOptions(environment)),
        DatabaseModule.forRoot(ENTITIES),
        // First of the feature modules, so that Express tries the webhook routes (the hot path) before the admin API's.
        WebhooksModule,
        MetricsModule,
        CryptoModule,
        HealthModule,
        AccountsModule,
        EventsModule,
        AccountEventsModule,
        RulesModule,
        ContactsModule,
        TemplatesModule,
        MessagingModule,
        RetentionModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
