import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MessagingModule } from '../messaging/messaging.module';
import { RulesModule } from '../rules/rules.module';
import { ActiveAccountResolver } from './active-account-resolver';
import { InstagramMessageReceiver } from './instagram-message-receiver';
import { DeliveryJournal } from './intake/delivery-journal';
import { EventRecorder } from './intake/event-recorder';
import { MessageReceiver } from './message-receiver';
import { SubscriptionVerifier } from './subscription-verifier';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [AccountsModule, MessagingModule, RulesModule],
  controllers: [WebhookController],
  providers: [
    ActiveAccountResolver,
    SubscriptionVerifier,
    DeliveryJournal,
    EventRecorder,
    { provide: MessageReceiver, useClass: InstagramMessageReceiver },
  ],
  exports: [MessageReceiver],
})
export class WebhooksModule {}
