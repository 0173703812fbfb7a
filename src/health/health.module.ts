import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AccountsModule } from '@accounts';
import { MessagingModule } from '@messaging';
import { AccountsHealthIndicator } from './accounts.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { MessagingHealthIndicator } from './messaging.health';
import { StoredCredentialsCheck } from './stored-credentials-check';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AccountsModule, MessagingModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, AccountsHealthIndicator, MessagingHealthIndicator, StoredCredentialsCheck],
})
export class HealthModule {}
