import type { Contact } from './contact';

/** A customer who may be new to the account. */
export interface NewContact {
  /** Used only if the contact is new. */
  id: string;
  accountId: string;
  igsid: string;
}

/** Contacts, every operation scoped to one account. */
export abstract class ContactRepository {
  /**
   * Records the customers not known yet, due for a profile lookup now, in one
   * statement (inside the caller's transaction: the intake's batch); those
   * already known are left as they are.
   */
  abstract recordNew(contacts: NewContact[], now: Date): Promise<void>;
  abstract getByIgsid(accountId: string, igsid: string): Promise<Contact | null>;
  /** The most recently looked-up contact with this username (usernames can move between people). */
  abstract getByUsername(accountId: string, username: string): Promise<Contact | null>;
  /**
   * Claims up to `limit` contacts whose profile lookup is due, of accounts
   * that may call Meta, by moving their next lookup to `leaseUntil` (so
   * another replica leaves them alone meanwhile). Reads across accounts: the
   * lookup worker serves them all.
   */
  abstract claimDueLookups(now: Date, leaseUntil: Date, limit: number): Promise<Contact[]>;
  /** Stores what Meta's profile says (the username in lower case) and when to look again. */
  abstract recordProfile(
    accountId: string,
    igsid: string,
    profile: Pick<Contact, 'username' | 'name'>,
    fetchedAt: Date,
    nextLookupAt: Date,
  ): Promise<void>;
  /** Counts a failed lookup, with its reason, and when to try again. */
  abstract recordLookupFailure(accountId: string, igsid: string, reason: string, nextLookupAt: Date): Promise<void>;
}
