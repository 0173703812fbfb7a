import { setTimeout as sleep } from 'node:timers/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AccountRepository } from '@accounts';
import { CliOutput, ID_PATTERN } from '@common';
import type { BackfillJob } from './backfill-job';
import { BackfillService } from './backfill.service';
import { BackfillWorker } from './backfill-worker';

interface BackfillOptions {
  account: string;
  since?: string;
}

const FOLLOW_INTERVAL_MS = 1000;

const progressLine = (job: BackfillJob) =>
  `${job.status}: ${job.conversationsScanned} conversations scanned, ${job.messagesAdded} messages added, ` +
  `${job.messagesUnavailable} older than Meta's 20 most recent per conversation`;

@Command({
  name: 'backfill',
  description:
    'fetch what Meta holds and the database lacks, through the Conversations API (after an outage); ' +
    '--since an ISO time, or 24h / 7d (default 24h, at most 30 days); prints progress and counts',
})
export class BackfillCommand extends CommandRunner {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly backfill: BackfillService,
    private readonly worker: BackfillWorker,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: BackfillOptions): Promise<void> {
    const accountId = await this.accountIdOf(options.account);
    const job = await this.backfill.start(accountId, options.since);
    this.out.line(`backfill job ${job.id} of account ${accountId} since ${job.since.toISOString()}`);
    // Run here, unless a server claimed it first: then this follows the server's progress.
    let runnerDone = false;
    const ranHere = this.worker.runHere(job.id).finally(() => {
      runnerDone = true;
    });
    ranHere.catch(() => undefined);
    let last = '';
    for (;;) {
      const current = await this.backfill.get(accountId, job.id);
      const line = progressLine(current);
      if (line !== last) this.out.line(line);
      last = line;
      if (current.status === 'completed') break;
      if (current.status === 'failed')
        throw new Error(`backfill job ${job.id} failed: ${current.error ?? 'no reason'}`);
      await (runnerDone ? sleep(FOLLOW_INTERVAL_MS) : Promise.race([ranHere, sleep(FOLLOW_INTERVAL_MS)]));
    }
    await ranHere;
  }

  private async accountIdOf(idOrUsername: string): Promise<string> {
    const account = ID_PATTERN.test(idOrUsername)
      ? await this.accounts.getById(idOrUsername)
      : await this.accounts.getByUsername(idOrUsername.replace(/^@/, ''));
    if (!account) throw new Error(`no account with id or username "${idOrUsername}"`);
    return account.id;
  }

  @Option({ flags: '--account <id or username>', description: 'the account to backfill', required: true })
  parseAccount(value: string): string {
    return value;
  }

  @Option({ flags: '--since <ISO time, or 24h / 7d>', description: 'the earliest message to recover (default 24h)' })
  parseSince(value: string): string {
    return value;
  }
}
