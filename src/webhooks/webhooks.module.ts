import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { AdminApiModule } from '@http';
import { MessagingModule } from '@messaging';
import { ActiveAccountResolver } from './active-account-resolver';
import { InstagramMessageReceiver } from './instagram-message-receiver';
import { MessageReceiver } from './message-receiver';
import { UnroutableEventsController } from './replay/unroutable-events.controller';
import { UnroutableReplayService } from './replay/unroutable-replay.service';
import { SubscriptionVerifier } from './subscription-verifier';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [AccountsModule, MessagingModule, AdminApiModule],
  controllers: [WebhookController, UnroutableEventsController],
  providers: [
    ActiveAccountResolver,
    SubscriptionVerifier,
    { provide: MessageReceiver, useClass: InstagramMessageReceiver },
    UnroutableReplayService,
  ],
  exports: [MessageReceiver],
})
export class WebhooksModule {}
