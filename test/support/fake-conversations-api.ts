/**
 * Meta's Conversations API as the fake Graph API serves it (graph.instagram.com
 * host): each account's conversations, by its access token, and the limits
 * Meta applies.
 *
 *   fake.conversations.add(token, { id: 'conv-1', participantId: '1029...', messages: [...] });
 *   ...
 *   fake.conversations.callTimes(token); fake.conversations.refusedCalls(token);
 *
 * - `GET /{v}/me/conversations?platform=instagram`: the token's conversations, most recently updated
 *   first, `pageSize` a page, with Meta's `paging.cursors.after` and `paging.next` while there are more;
 * - `GET /{v}/{conversation-id}?fields=messages`: its messages (`id`, `created_time`), newest first;
 * - `GET /{v}/{message-id}?fields=...`: `id`, `created_time`, `from`, `to`, `message`, `attachments`,
 *   for the 20 most recent messages of their conversation only; older ones are refused (code 100);
 * - every one of these calls of a token counts against 2 per second: a call that comes when two of
 *   the token's calls arrived within the second before it is refused with code 4, subcode 80002.
 * Every call is recorded with its arrival time (`Date.now()`). `reset()` forgets calls and
 * conversations.
 */
import type { FakeResponse, RecordedRequest } from './fake-graph-api';
import { graphError } from './fake-graph-error';

export interface FakeConversationMessage {
  /** Meta's mid. */
  id: string;
  createdTime: Date;
  /** Who wrote it: the customer's IGSID, or the account's own igUserId. */
  fromId: string;
  toId: string;
  text?: string;
  attachments?: Array<Record<string, unknown>>;
}

export interface FakeConversation {
  id: string;
  /** Default: the newest message's time. */
  updatedTime?: Date;
  /** In any order; served newest first. */
  messages: FakeConversationMessage[];
}

export interface FakeConversationsCall {
  accessToken: string;
  path: string;
  /** `Date.now()` when it arrived. */
  at: number;
  refused: boolean;
}

/** Meta's limit of Conversations API calls per account and second. */
export const CONVERSATIONS_API_CALLS_PER_SECOND = 2;
/** Meta gives the details of this many most recent messages of a conversation. */
export const MESSAGE_DETAIL_LIMIT = 20;

const metaTime = (time: Date) => time.toISOString().replace(/\.\d{3}Z$/, '+0000');
const cursorOf = (index: number) => Buffer.from(`conversation:${index}`).toString('base64url');
const indexOf = (cursor: string | undefined) =>
  cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':')[1] ?? 0);

export class FakeConversations {
  /** Conversations a page of `GET /me/conversations` holds. */
  pageSize = 25;
  readonly calls: FakeConversationsCall[] = [];
  private readonly byToken = new Map<string, FakeConversation[]>();

  constructor(private readonly version: string) {}

  /** Meta now holds this conversation of the account whose token this is. */
  add(accessToken: string, conversation: FakeConversation): void {
    this.byToken.set(accessToken, [...(this.byToken.get(accessToken) ?? []), conversation]);
  }

  /** When each Conversations API call of this token arrived, oldest first. */
  callTimes(accessToken: string): number[] {
    return this.callsOf(accessToken).map((call) => call.at);
  }

  /** The token's calls refused for exceeding 2 per second. */
  refusedCalls(accessToken: string): FakeConversationsCall[] {
    return this.callsOf(accessToken).filter((call) => call.refused);
  }

  callsOf(accessToken: string): FakeConversationsCall[] {
    return this.calls.filter((call) => call.accessToken === accessToken);
  }

  reset(): void {
    this.calls.length = 0;
    this.byToken.clear();
  }

  /** The answer to a Conversations API call; null when the request is not one. */
  answer(request: RecordedRequest, route: string): FakeResponse | null {
    const accessToken = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const conversations = this.byToken.get(accessToken) ?? [];
    const target = this.route(route, conversations);
    if (target === null) return null;
    const at = Date.now();
    const recent = this.callsOf(accessToken).filter((call) => at - call.at < 1000).length;
    const refused = recent >= CONVERSATIONS_API_CALLS_PER_SECOND;
    this.calls.push({ accessToken, path: request.path, at, refused });
    if (refused) {
      return graphError(4, 'OAuthException', 'Application request limit reached', 80002);
    }
    if (target.kind === 'list') return { body: this.page(conversations, request) };
    if (target.kind === 'conversation') {
      const messages = newestFirst(target.conversation.messages);
      return {
        body: {
          id: target.conversation.id,
          messages: { data: messages.map((m) => ({ id: m.id, created_time: metaTime(m.createdTime) })) },
        },
      };
    }
    const rank = newestFirst(target.conversation.messages).indexOf(target.message);
    if (rank >= MESSAGE_DETAIL_LIMIT) {
      return graphError(100, 'OAuthException', 'Message details are available for the 20 most recent messages only');
    }
    return { body: details(target.message) };
  }

  private route(
    route: string,
    conversations: FakeConversation[],
  ):
    | { kind: 'list' }
    | { kind: 'conversation'; conversation: FakeConversation }
    | { kind: 'message'; conversation: FakeConversation; message: FakeConversationMessage }
    | null {
    if (route === 'GET /me/conversations') return { kind: 'list' };
    const id = /^GET \/([^/]+)$/.exec(route)?.[1];
    if (id === undefined) return null;
    for (const conversation of conversations) {
      if (conversation.id === id) return { kind: 'conversation', conversation };
      const message = conversation.messages.find((m) => m.id === id);
      if (message) return { kind: 'message', conversation, message };
    }
    return null;
  }

  private page(conversations: FakeConversation[], request: RecordedRequest): Record<string, unknown> {
    const sorted = [...conversations].sort((a, b) => updatedTimeOf(b) - updatedTimeOf(a));
    const start = indexOf(request.query.after);
    const items = sorted.slice(start, start + this.pageSize);
    const end = start + items.length;
    const more = end < sorted.length;
    return {
      data: items.map((c) => ({ id: c.id, updated_time: metaTime(new Date(updatedTimeOf(c))) })),
      paging: {
        cursors: { before: cursorOf(start), after: cursorOf(end) },
        ...(more
          ? { next: `https://graph.instagram.com/${this.version}/me/conversations?after=${cursorOf(end)}` }
          : {}),
      },
    };
  }
}

function updatedTimeOf(conversation: FakeConversation): number {
  if (conversation.updatedTime) return conversation.updatedTime.getTime();
  return Math.max(0, ...conversation.messages.map((m) => m.createdTime.getTime()));
}

function newestFirst(messages: FakeConversationMessage[]): FakeConversationMessage[] {
  return [...messages].sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime());
}

function details(message: FakeConversationMessage): Record<string, unknown> {
  return {
    id: message.id,
    created_time: metaTime(message.createdTime),
    from: { id: message.fromId, username: `user_${message.fromId}` },
    to: { data: [{ id: message.toId, username: `user_${message.toId}` }] },
    message: message.text ?? '',
    ...(message.attachments ? { attachments: { data: message.attachments } } : {}),
  };
}
