/** Where the replicas share each account's next Conversations API slot. */
export abstract class GraphApiPacing {
  /** Reserves the account's next slot, at `now` or later, and moves the next one `spacingMs` after it; answers the slot. */
  abstract reserve(accountId: string, now: Date, spacingMs: number): Promise<Date>;
}
