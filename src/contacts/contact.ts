/** A customer of one account as Meta's profile lookup describes them; IGSIDs are scoped to the account. */
export interface Contact {
  id: string;
  accountId: string;
  igsid: string;
  username: string | null;
  name: string | null;
  profileFetchedAt: Date | null;
  nextLookupAt: Date | null;
  lookupAttempts: number;
  lastLookupError: string | null;
}
