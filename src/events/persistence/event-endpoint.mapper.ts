import type { EventEndpoint } from '../event-endpoint';
import type { EventSelection } from '../event-types';
import type { EventEndpointEntity } from './event-endpoint.entity';

/** Every column but the ciphertexts: what reading an endpoint selects. */
export const ENDPOINT_SELECT = {
  id: true,
  url: true,
  description: true,
  events: true,
  accountIds: true,
  enabled: true,
  disabledReason: true,
  previousSecretExpiresAt: true,
  lastSuccessAt: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type EndpointRow = Pick<EventEndpointEntity, keyof typeof ENDPOINT_SELECT>;

export function toEventEndpoint(row: EndpointRow): EventEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as EventSelection,
    accountIds: row.accountIds === null ? null : (JSON.parse(row.accountIds) as string[]),
    enabled: Boolean(row.enabled),
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    lastSuccessAt: row.lastSuccessAt,
    failingSince: row.failingSince,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
