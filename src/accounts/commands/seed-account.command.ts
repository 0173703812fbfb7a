import { Command, CommandRunner, Option } from 'nest-commander';
import { CliOutput } from '@common';
import { AccountsService } from '../accounts.service';
import { CreateAccountDto } from '../dto/create-account.dto';
import { validatedInput } from './validated-input';

interface SeedAccountOptions {
  username: string;
  igUserId: string;
  login?: string;
  pageId?: string;
  displayName?: string;
  skipValidation?: boolean;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
}

/** Each secret's flag and, preferred because it stays out of shell history, its environment variable. */
const SECRETS = [
  { option: 'accessToken', flag: '--access-token', variable: 'IG_ACCESS_TOKEN' },
  { option: 'appSecret', flag: '--app-secret', variable: 'IG_APP_SECRET' },
  { option: 'verifyToken', flag: '--verify-token', variable: 'IG_VERIFY_TOKEN' },
] as const;

@Command({
  name: 'seed-account',
  description:
    'create or update an account (idempotent); secrets from IG_ACCESS_TOKEN, IG_APP_SECRET, IG_VERIFY_TOKEN ' +
    'or the matching flags; --login facebook --page-id <id> connects it through Facebook Login (a Page token); ' +
    'the token is checked with Meta unless --skip-validation',
})
export class SeedAccountCommand extends CommandRunner {
  constructor(
    private readonly accounts: AccountsService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: SeedAccountOptions): Promise<void> {
    const secrets = Object.fromEntries(
      SECRETS.map(({ option, flag, variable }) => {
        const value = options[option] ?? process.env[variable];
        if (!value) throw new Error(`missing ${option}: set ${variable} (or pass ${flag})`);
        return [option, value];
      }),
    );
    const input = await validatedInput(CreateAccountDto, {
      username: options.username,
      igUserId: options.igUserId,
      loginType: options.login,
      pageId: options.pageId,
      displayName: options.displayName,
      ...secrets,
    });
    const validateToken = options.skipValidation !== true;
    const { account, created } = await this.accounts.seed(input.toNewAccount(), { validateToken });
    const login = account.loginType === 'facebook' ? `, Facebook Login through Page ${account.pageId}` : '';
    this.out.line(
      `${created ? 'created' : 'updated'} account ${account.id} (@${account.username}${login})` +
        (validateToken ? '; Meta accepted its token' : '; token not checked'),
    );
    this.out.line(`webhook URL: ${account.webhookUrl}`);
  }

  @Option({
    flags: '--username <username>',
    description: 'Instagram username (a leading @ is dropped)',
    required: true,
  })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '--ig-user-id <id>', description: 'the user_id of GET /me (webhooks carry it)', required: true })
  parseIgUserId(value: string): string {
    return value;
  }

  @Option({
    flags: '--login <type>',
    description:
      'instagram (Instagram Login, an Instagram user token; the default for a new account) or facebook (Facebook Login, a Page token; needs --page-id)',
  })
  parseLogin(value: string): string {
    return value;
  }

  @Option({
    flags: '--page-id <id>',
    description: 'the Facebook Page linked to the Instagram account (--login facebook)',
  })
  parsePageId(value: string): string {
    return value;
  }

  @Option({ flags: '--display-name <name>', description: 'a name for operators' })
  parseDisplayName(value: string): string {
    return value;
  }

  @Option({
    flags: '--skip-validation',
    description: 'do not check the token with Meta (GET /me, or the Page’s instagram_business_account)',
  })
  parseSkipValidation(): boolean {
    return true;
  }

  @Option({ flags: '--access-token <token>', description: 'instead of IG_ACCESS_TOKEN (ends up in shell history)' })
  parseAccessToken(value: string): string {
    return value;
  }

  @Option({ flags: '--app-secret <secret>', description: 'instead of IG_APP_SECRET (ends up in shell history)' })
  parseAppSecret(value: string): string {
    return value;
  }

  @Option({ flags: '--verify-token <token>', description: 'instead of IG_VERIFY_TOKEN (ends up in shell history)' })
  parseVerifyToken(value: string): string {
    return value;
  }
}
