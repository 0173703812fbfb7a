import type { EventEndpointChanges, NewEventEndpoint } from '../event-endpoint';
import type { EventSelection } from '../event-types';
import {
  AccountIdsField,
  DescriptionField,
  EnabledField,
  EndpointUrlField,
  EventsField,
} from './event-endpoint-fields';

export class CreateEventEndpointDto {
  @EndpointUrlField()
  url!: string;

  @EventsField()
  events!: EventSelection;

  @AccountIdsField()
  accountIds?: string[] | null;

  @DescriptionField()
  description?: string | null;

  toNewEndpoint(): NewEventEndpoint {
    return {
      url: this.url,
      events: this.events,
      accountIds: this.accountIds ?? null,
      description: this.description ?? null,
    };
  }
}

/** Any subset of the fields; `accountIds: null` means every account, `description: null` clears it. */
export class UpdateEventEndpointDto {
  @EndpointUrlField({ optional: true })
  url?: string;

  @EventsField({ optional: true })
  events?: EventSelection;

  @AccountIdsField()
  accountIds?: string[] | null;

  @DescriptionField()
  description?: string | null;

  @EnabledField()
  enabled?: boolean;

  toChanges(): EventEndpointChanges {
    const { url, events, accountIds, description, enabled } = this;
    return { url, events, accountIds, description, enabled };
  }
}
