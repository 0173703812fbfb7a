import type { IntakeSummary } from '@messaging';

export type { IntakeSummary } from '@messaging';

/**
 * The intake of Meta's webhooks. A delivery is verified with the addressed
 * account's app secret, then handed to the intake writer, which stores all
 * of it in one transaction, together with whatever else arrived meanwhile;
 * `receiveWebhook` resolves only once that transaction has committed.
 */
export abstract class MessageReceiver {
  /**
   * Verifies, parses and stores one delivery. `accountId` is the account of a
   * per-account route, or null on the shared route, where each entry is routed
   * by its `entry[].id`. `requestId` names the request in the intake's log lines.
   * @throws DomainError `account_not_found` (404), `signature_invalid` (403),
   *   `webhook_payload_invalid` (400) or `intake_overloaded` (503, nothing stored).
   */
  abstract receiveWebhook(
    accountId: string | null,
    rawBody: Buffer,
    signature: string | string[] | undefined,
    requestId: string | null,
  ): Promise<IntakeSummary>;

  /**
   * Refuses a delivery of `bytes` at once, before it is read or checked, when
   * the intake could not store it in time anyway.
   * @throws DomainError `intake_overloaded` (503).
   */
  abstract refuseIfOverloaded(bytes: number): void;
}
