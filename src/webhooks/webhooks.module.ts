import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { MessagingModule } from '@messaging';
import { ActiveAccountResolver } from './active-account-resolver';
import { InstagramMessageReceiver } from './instagram-message-receiver';
import { MessageReceiver } from './message-receiver';
import { SubscriptionVerifier } from './subscription-verifier';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [AccountsModule, MessagingModule],
  controllers: [WebhookController],
  providers: [
    ActiveAccountResolver,
    SubscriptionVerifier,
    { provide: MessageReceiver, useClass: InstagramMessageReceiver },
  ],
  exports: [MessageReceiver],
})
export class WebhooksModule {}
