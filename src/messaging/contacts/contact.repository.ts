import type { Contact } from './contact';

/** Contacts, every operation scoped to one account. */
export abstract class ContactRepository {
  abstract getByIgsid(accountId: string, igsid: string): Promise<Contact | null>;
  /** The most recently looked-up contact with this username (usernames can move between people). */
  abstract getByUsername(accountId: string, username: string): Promise<Contact | null>;
  /** Records a customer on first contact, due for a profile lookup now; does nothing if already known. */
  abstract ensureKnown(accountId: string, igsid: string): Promise<void>;
}
