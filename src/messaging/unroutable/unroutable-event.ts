/**
 * A webhook entry (or event) that no account could apply when it came,
 * kept with the delivery it came in. `appliedAt` is set once a replay has
 * applied it to the account it names.
 */
export interface UnroutableEvent {
  id: string;
  /** The account of the route it arrived on; null on the shared route. */
  routeAccountId: string | null;
  deliveryId: string;
  /** `entry[].id`: the Instagram account it is for. */
  entryId: string;
  /** Its place in the delivery: `<entry>` for a whole entry, `<entry>.<event>` for one event. */
  itemKey: string;
  reason: string;
  payload: unknown;
  receivedAt: Date;
  appliedAt: Date | null;
}

/** A kept entry with the delivery that brought it: its exact bytes and the signature header it was verified with. */
export interface KeptEntry {
  event: UnroutableEvent;
  /** The entry's index in the delivery's `entry` list. */
  entryIndex: number;
  rawBody: Buffer;
  signature: string | null;
}

export interface UnroutableFilter {
  entryId?: string;
  reason?: string;
}
