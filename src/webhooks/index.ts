// What other modules may use of `webhooks`; everything else in the folder is its own.
export { MessageReceiver } from './message-receiver';
export { assertUtf8Body } from './parsing/utf8-body';
export type { WebhookRequest } from './webhook.controller';
export { WebhooksModule } from './webhooks.module';
