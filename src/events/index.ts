// What other modules may use of `events`; everything else in the folder is its own.
export type { Subscriptions } from './endpoint-subscriptions';
export { EventDeliveryRepository } from './event-delivery.repository';
export { EventEndpointRepository } from './event-endpoint.repository';
export { EventOutbox } from './event-outbox';
export type { NewEvent, SubscribableEventType } from './event-types';
export { AccountEventsModule, EventsModule } from './events.module';
export { EventDeliveryEntity } from './persistence/event-delivery.entity';
export { EventEndpointEntity } from './persistence/event-endpoint.entity';
