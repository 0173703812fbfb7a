import { ALL_EVENTS, type EventSelection, type EventType } from './event-types';

/** An operator's endpoint: where events go, which ones, and whether it currently gets them. Never its secret. */
export interface EventEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: EventSelection;
  /** null: every account, present and future. */
  accountIds: string[] | null;
  enabled: boolean;
  /** Why the service disabled it; null while enabled, or when an operator did. */
  disabledReason: string | null;
  /** While a rotated-out secret still signs too (24 hours after the rotation); null otherwise. */
  previousSecretExpiresAt: Date | null;
  lastSuccessAt: Date | null;
  /** When its first failure since its last success happened; null while it succeeds. */
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewEventEndpoint {
  url: string;
  events: EventSelection;
  accountIds: string[] | null;
  description: string | null;
}

export type EventEndpointChanges = Partial<NewEventEndpoint & { enabled: boolean }>;

/** What deciding which endpoints get an event needs of each enabled one. */
export type EndpointSubscription = Pick<EventEndpoint, 'id' | 'events' | 'accountIds'>;

/** The endpoint subscribes to events of this type about this account. */
export function subscribesTo(endpoint: EndpointSubscription, type: EventType, accountId: string): boolean {
  const typeMatches = endpoint.events.includes(ALL_EVENTS) || (endpoint.events as string[]).includes(type);
  return typeMatches && (endpoint.accountIds === null || endpoint.accountIds.includes(accountId));
}
