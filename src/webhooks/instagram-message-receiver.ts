import { Injectable, Logger } from '@nestjs/common';
import type { InstagramBusinessAccount } from '@accounts';
import { AccountRepository } from '@accounts';
import { DomainError, QueueOverloadedError } from '@common';
import { CiphertextIntegrityError } from '@crypto';
import { IntakeWriter } from '@messaging';
import type { IntakeSummary, RoutedEntry } from '@messaging';
import { Metrics } from '@metrics';
import { ActiveAccountResolver, type SharedRouteSecrets } from './active-account-resolver';
import { MessageReceiver } from './message-receiver';
import { parseBody } from './parsing/parse-body';
import { isSignedWith, isValidSignature, signatureDigest } from './signature';

type Signature = string | string[] | undefined;

const overloaded = (refusal: QueueOverloadedError) =>
  new DomainError('intake_overloaded', `the webhook intake is overloaded: ${refusal.message}; retry shortly`);

const signatureInvalid = () => new DomainError('signature_invalid', 'X-Hub-Signature-256 does not match this body');

@Injectable()
export class InstagramMessageReceiver extends MessageReceiver {
  private readonly logger = new Logger(InstagramMessageReceiver.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly activeAccounts: ActiveAccountResolver,
    private readonly intake: IntakeWriter,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async receiveWebhook(
    accountId: string | null,
    rawBody: Buffer,
    signature: Signature,
    request: { id: string | null; arrivedAt: number },
  ): Promise<IntakeSummary> {
    const entries =
      accountId === null
        ? await this.verifyShared(rawBody, signature)
        : await this.verify(accountId, rawBody, signature);
    try {
      return await this.intake.write({
        routeAccountId: accountId,
        rawBody,
        signature: String(signature),
        entries,
        requestId: request.id,
        arrivedAt: request.arrivedAt,
      });
    } catch (error) {
      throw error instanceof QueueOverloadedError ? overloaded(error) : error;
    }
  }

  admit(bytes: number, arrivedAt: number): { release: () => void } {
    try {
      return this.intake.admit(bytes, arrivedAt);
    } catch (error) {
      if (!(error instanceof QueueOverloadedError)) throw error;
      // Refused before the controller: counted here, as the controller counts the deliveries it handles.
      this.metrics.webhookDelivery('overloaded');
      throw overloaded(error);
    }
  }

  private async verify(accountId: string, rawBody: Buffer, signature: Signature): Promise<RoutedEntry[]> {
    const account = await this.activeAccounts.require(accountId);
    if (!isValidSignature(rawBody, signature, await this.activeAccounts.appSecretOf(account.id))) {
      this.logger.warn({ accountId }, 'webhook refused: signature does not match');
      throw signatureInvalid();
    }
    // One account's secret never writes into another account: foreign entries are only logged.
    return parseBody(rawBody).entries.map((entry): RoutedEntry =>
      entry.entryId === account.igUserId ? { entry, account } : { entry, account: null, reason: 'foreign_entry' },
    );
  }

  /**
   * One Meta app shared by several accounts. The signature is checked first,
   * from memory (one HMAC per distinct app secret of the active accounts);
   * only then is the body parsed and each entry routed to the active account
   * whose igUserId it names, all entry ids in one query. The body must carry
   * a valid signature for every account it addresses (or, addressing none,
   * for some active account). An account whose app secret cannot be
   * decrypted is skipped: its entries are kept as unroutable, and the others
   * are checked and stored.
   */
  private async verifyShared(rawBody: Buffer, signature: Signature): Promise<RoutedEntry[]> {
    const secrets = await this.activeAccounts.sharedRouteSecrets();
    const signedBy = signersOf(rawBody, signature, secrets);
    if (signedBy.size === 0) {
      this.logger.warn('shared webhook refused: the signature matches no active account');
      throw signatureInvalid();
    }
    const delivery = parseBody(rawBody);
    const entryIds = [...new Set(delivery.entries.map((entry) => entry.entryId))];
    const byIgUserId = new Map((await this.accounts.getByIgUserIds(entryIds)).map((a) => [a.igUserId, a]));
    const unreadable = new Set<string>();
    for (const account of byIgUserId.values()) {
      if (!account.isActive || signedBy.has(account.id)) continue;
      const verdict = await this.verifyNewcomer(account, rawBody, signature, secrets);
      if (verdict === 'unreadable') unreadable.add(account.id);
      else if (verdict === 'refused') {
        this.logger.warn({ accountId: account.id }, 'shared webhook refused: signature does not match');
        throw signatureInvalid();
      }
    }
    return delivery.entries.map((entry): RoutedEntry => {
      const account = byIgUserId.get(entry.entryId) ?? null;
      if (account === null) return { entry, account: null, reason: 'unknown_account' };
      if (!account.isActive) return { entry, account: null, reason: 'inactive_account' };
      if (unreadable.has(account.id)) {
        this.metrics.webhookEntryOfUnreadableAccount();
        return { entry, account: null, reason: 'credentials_unreadable' };
      }
      return { entry, account };
    });
  }

  /**
   * An addressed account the signature did not match from memory: its
   * credentials cannot be decrypted, or it is newer than the secrets in
   * memory (created on another replica a moment ago), so it is read itself.
   */
  private async verifyNewcomer(
    account: InstagramBusinessAccount,
    rawBody: Buffer,
    signature: Signature,
    secrets: SharedRouteSecrets,
  ): Promise<'signed' | 'refused' | 'unreadable'> {
    if (secrets.unreadable.has(account.id)) return 'unreadable';
    if (secrets.secretOf.has(account.id)) return 'refused';
    try {
      return isValidSignature(rawBody, signature, await this.activeAccounts.appSecretOf(account.id))
        ? 'signed'
        : 'refused';
    } catch (error) {
      if (error instanceof CiphertextIntegrityError) return 'unreadable';
      throw error;
    }
  }
}

/** The accounts whose app secret signed the body: one HMAC per distinct secret. */
function signersOf(rawBody: Buffer, signature: Signature, secrets: SharedRouteSecrets): Set<string> {
  const digest = signatureDigest(signature);
  const signers = new Set<string>();
  if (digest === null) return signers;
  for (const [secret, accountIds] of secrets.bySecret) {
    if (isSignedWith(rawBody, digest, secret)) for (const id of accountIds) signers.add(id);
  }
  return signers;
}
