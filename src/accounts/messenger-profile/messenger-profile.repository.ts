import type { MessengerProfile } from './messenger-profile';

/** Each account's Messenger Profile as set on Meta. */
export abstract class MessengerProfileRepository {
  /** Null when none was ever set. */
  abstract get(accountId: string): Promise<MessengerProfile | null>;
  abstract save(profile: MessengerProfile & { updatedAt: Date }): Promise<void>;
  abstract delete(accountId: string): Promise<void>;
}
