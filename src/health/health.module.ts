import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AccountsModule } from '@accounts';
import { EventsModule } from '@events';
import { MessagingModule } from '@messaging';
import { AccountsHealthIndicator } from './accounts.health';
import { DatabaseHealthIndicator } from './database.health';
import { EventsHealthIndicator } from './events.health';
import { HealthController } from './health.controller';
import { MessagingHealthIndicator } from './messaging.health';
import { StoredCredentialsCheck } from './stored-credentials-check';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AccountsModule, MessagingModule, EventsModule],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    AccountsHealthIndicator,
    MessagingHealthIndicator,
    EventsHealthIndicator,
    StoredCredentialsCheck,
  ],
})
export class HealthModule {}
