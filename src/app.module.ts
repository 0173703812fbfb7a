import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from '@accounts/accounts.module';
import type { Environment } from '@config/environment';
import { CommonModule } from '@common/common.module';
import { HttpErrorFilter } from '@common/http-error.filter';
import { ProcessRole } from '@common/process-role';
import { ContactsModule } from '@contacts/contacts.module';
import { CryptoModule } from '@crypto/crypto.module';
import { DatabaseModule } from '@database/database.module';
import { HealthModule } from '@health/health.module';
import { buildLoggerOptions } from '@logging/logger-options';
import { MessagingModule } from '@messaging/messaging.module';
import { MetricsModule } from '@metrics/metrics.module';
import { RetentionModule } from '@retention/retention.module';
import { RulesModule } from '@rules/rules.module';
import { TemplatesModule } from '@templates/templates.module';
import { WebhooksModule } from '@webhooks/webhooks.module';

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
        DatabaseModule,
        MetricsModule,
        CryptoModule,
        HealthModule,
        AccountsModule,
        WebhooksModule,
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
