/** What an endpoint may subscribe to, by name (SPEC section 10). */
export const EVENT_TYPES = [
  'message.received',
  'message.sent',
  'message.delivered',
  'message.failed',
  'conversation.automation_paused',
  'conversation.automation_resumed',
  'account.token_invalid',
] as const;

export type SubscribableEventType = (typeof EVENT_TYPES)[number];

/** Queued to one endpoint on request, whatever it subscribes to. */
export const TEST_EVENT_TYPE = 'endpoint.test';

export type EventType = SubscribableEventType | typeof TEST_EVENT_TYPE;

/** `events: ["*"]`: every event, those added later included. */
export const ALL_EVENTS = '*';

/** An endpoint's `events`: names of EVENT_TYPES, or `["*"]`. */
export type EventSelection = Array<SubscribableEventType | typeof ALL_EVENTS>;

/**
 * Something that happened, to be told to the endpoints that subscribe to
 * it. Its body is `{"type", "timestamp", "data"}`, where `data` holds
 * `accountId` and what is given here (`conversationId`, `message`, ...).
 */
export interface NewEvent {
  type: SubscribableEventType;
  accountId: string;
  data: Record<string, unknown>;
}
