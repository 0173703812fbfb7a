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
   * by its `entry[].id`. `request` names the request in the intake's log lines,
   * and says when it arrived (INTAKE_MAX_WAIT counts from then).
   * @throws DomainError `account_not_found` (404), `signature_invalid` (403),
   *   `webhook_payload_invalid` (400) or `intake_overloaded` (503, nothing stored).
   */
  abstract receiveWebhook(
    accountId: string | null,
    rawBody: Buffer,
    signature: string | string[] | undefined,
    request: { id: string | null; arrivedAt: number },
  ): Promise<IntakeSummary>;

  /**
   * Lets a delivery of `bytes` in, before it is read or checked, or refuses it
   * at once when the intake could not store it in time anyway; `release` when
   * it has been answered.
   * @throws DomainError `intake_overloaded` (503).
   */
  abstract admit(bytes: number, arrivedAt: number): { release: () => void };
}
