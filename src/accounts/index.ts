// What other modules may use of `accounts`; everything else in the folder is its own.
export type { InstagramBusinessAccount } from './account';
export { AccountChangeFeed } from './account-change-feed';
export { AccountEvents } from './account-events';
export { AccountRepository } from './account.repository';
export type { WebhookSecrets } from './account.repository';
export { AccountsModule } from './accounts.module';
export { AccountsService } from './accounts.service';
export { ListAccountsCommand } from './commands/list-accounts.command';
export { RotateKeysCommand } from './commands/rotate-keys.command';
export { SeedAccountCommand } from './commands/seed-account.command';
export { validatedInput } from './commands/validated-input';
export { CredentialsCache } from './credentials-cache';
export { mayCallMetaSql } from './may-call-meta';
export { AccountEntity } from './persistence/account.entity';
export { MessengerProfileEntity } from './persistence/messenger-profile.entity';
export { TokenRefreshSettings } from './tokens/token-refresh-settings';
