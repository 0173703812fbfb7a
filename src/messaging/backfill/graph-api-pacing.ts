/** Where the replicas share each account's Conversations API pace. */
export abstract class GraphApiPacing {
  /**
   * Grants the account's next call now if its pace allows (and moves the
   * next one `spacingMs` later); otherwise answers how long to wait before
   * asking again.
   */
  abstract grant(accountId: string, now: Date, spacingMs: number): Promise<{ granted: true } | { waitMs: number }>;
}
