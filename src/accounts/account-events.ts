/**
 * What happens to an account that the business's own systems are told of
 * (`account.token_invalid`), reported inside the transaction that changes
 * the account, so the event exists if and only if the change does.
 * Accounts sit below every other module: the events module implements
 * this, and accounts only call it.
 */
export abstract class AccountEvents {
  abstract tokenInvalid(accountId: string): Promise<void>;
}
