import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountEvents, AccountsModule } from '@accounts';
import type { Environment } from '@config';
import { CryptoModule } from '@crypto';
import { AdminApiModule } from '@http';
import { AccountTokenEvents } from './account-token-events';
import { DeliveryAttempts } from './delivery/delivery-attempts';
import { EventDeliverySettings } from './delivery/event-delivery-settings';
import { EventDeliveryWorker } from './delivery/event-delivery-worker';
import { EndpointSecretRotation } from './endpoint-secret-rotation';
import { EndpointSubscriptions } from './endpoint-subscriptions';
import { EventDeliveryRepository } from './event-delivery.repository';
import { EventEndpointRepository } from './event-endpoint.repository';
import { EventEndpointsController } from './event-endpoints.controller';
import { EventEndpointsService } from './event-endpoints.service';
import { EventOutbox } from './event-outbox';
import { TypeOrmEventDeliveryRepository } from './persistence/typeorm-event-delivery.repository';
import { TypeOrmEventEndpointRepository } from './persistence/typeorm-event-endpoint.repository';

const settings = [
  {
    provide: EventDeliverySettings,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) =>
      EventDeliverySettings.fromEnvironment({
        EVENT_ENDPOINTS_ALLOW_PRIVATE: config.get('EVENT_ENDPOINTS_ALLOW_PRIVATE', { infer: true }),
      }),
  },
];
const persistence = [
  { provide: EventEndpointRepository, useClass: TypeOrmEventEndpointRepository },
  { provide: EventDeliveryRepository, useClass: TypeOrmEventDeliveryRepository },
];
const delivery = [DeliveryAttempts, EventDeliveryWorker];
const services = [EndpointSubscriptions, EventOutbox, EventEndpointsService, EndpointSecretRotation];
const exported = [EventOutbox, EventDeliveryRepository, EventEndpointRepository];

/**
 * Event webhooks: the endpoints operators register, the event outbox every
 * module reports to in its own transactions, and the worker that delivers
 * it, signed as Standard Webhooks. The server and the CLI both use it; only
 * the server runs the worker (`ProcessRole`).
 */
@Module({
  imports: [AccountsModule, CryptoModule, AdminApiModule],
  controllers: [EventEndpointsController],
  providers: [...settings, ...persistence, ...delivery, ...services],
  exports: exported,
})
export class EventsModule {}

/**
 * Binds the port accounts report through (`AccountEvents`) to the event
 * outbox. Global, because accounts, below every module, import none of
 * them: imported once, by the application's root.
 */
@Global()
@Module({
  imports: [EventsModule],
  providers: [{ provide: AccountEvents, useClass: AccountTokenEvents }],
  exports: [AccountEvents],
})
export class AccountEventsModule {}
