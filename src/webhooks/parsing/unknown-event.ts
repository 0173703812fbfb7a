import type { UnknownEvent } from '@messaging';

type KnownParts = Partial<Pick<UnknownEvent, 'senderId' | 'recipientId' | 'timestamp' | 'standby'>>;

/** Keeps an item that is not one of the modelled kinds, with whatever could be read from it. */
export function unknownEvent(raw: unknown, reason: string, known: KnownParts = {}): UnknownEvent {
  return {
    kind: 'unknown',
    senderId: known.senderId ?? null,
    recipientId: known.recipientId ?? null,
    timestamp: known.timestamp ?? null,
    standby: known.standby ?? false,
    raw,
    reason,
  };
}
