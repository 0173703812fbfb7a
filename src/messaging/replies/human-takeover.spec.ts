import { FixedClock } from '../../../test/support/fixed-clock';
import type { Conversation } from '../conversation';
import type { ConversationRepository } from '../conversation.repository';
import type { Message } from '../message';
import type { MessageRepository } from '../message.repository';
import { HUMAN_TAKEOVER_MS, HumanTakeover } from './human-takeover';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow);

const conversation = (automationPausedUntil: Date | null): Conversation => ({
  id: 'conv-1',
  accountId: 'acc-1',
  participantId: '1029384756102938',
  lastMessageAt: null,
  lastInboundAt: null,
  automationPausedUntil,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('HumanTakeover', () => {
  let paused: Array<Date | null>;
  let stored: Conversation;
  let lastAppMessageAt: Date | null;
  let takeover: HumanTakeover;

  beforeEach(() => {
    paused = [];
    stored = conversation(null);
    lastAppMessageAt = null;
    const conversations = {
      setAutomationPausedUntil: jest.fn(async (_a: string, _c: string, until: Date | null) => {
        paused.push(until);
      }),
      getById: jest.fn(async () => stored),
    };
    const messages = { lastAppMessageStoredAt: jest.fn(async () => lastAppMessageAt) };
    takeover = new HumanTakeover(
      conversations as unknown as ConversationRepository,
      messages as unknown as MessageRepository,
      new FixedClock(NOW),
    );
  });

  it('pauses automatic replies for 30 minutes from now when a person answers from the app', async () => {
    await takeover.personAnswered('acc-1', conversation(null));
    expect(paused).toEqual([at(HUMAN_TAKEOVER_MS)]);
  });

  it('keeps a longer pause that is already set (an operator’s, say)', async () => {
    await takeover.personAnswered('acc-1', conversation(at(2 * HUMAN_TAKEOVER_MS)));
    expect(paused).toEqual([]);
  });

  it('lifts the pause an echo caused once the echo turns out to be the service’s own message', async () => {
    const echo = { createdAt: at(-60_000) } as Message;
    stored = conversation(at(-60_000 + HUMAN_TAKEOVER_MS));
    await takeover.echoWasOurs({ accountId: 'acc-1', conversationId: 'conv-1' } as Message, echo);
    expect(paused).toEqual([null]);
  });

  it('keeps the pause a real app message still calls for', async () => {
    const echo = { createdAt: at(-60_000) } as Message;
    stored = conversation(at(-60_000 + HUMAN_TAKEOVER_MS));
    lastAppMessageAt = at(-120_000);
    await takeover.echoWasOurs({ accountId: 'acc-1', conversationId: 'conv-1' } as Message, echo);
    expect(paused).toEqual([at(-120_000 + HUMAN_TAKEOVER_MS)]);
  });

  it('leaves alone a pause the echo did not set', async () => {
    stored = conversation(at(24 * 60 * 60_000));
    await takeover.echoWasOurs(
      { accountId: 'acc-1', conversationId: 'conv-1' } as Message,
      {
        createdAt: at(-60_000),
      } as Message,
    );
    expect(paused).toEqual([]);
  });
});
