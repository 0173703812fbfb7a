import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '@common';
import { CredentialRotationService } from '../credential-rotation.service';

const accounts = (count: number) => `${count} account${count === 1 ? '' : 's'}`;

@Command({
  name: 'rotate-keys',
  description:
    're-encrypt every stored credential with APP_SECRET_KEY (old ones are read with APP_SECRET_KEY_PREVIOUS); idempotent',
})
export class RotateKeysCommand extends CommandRunner {
  constructor(
    private readonly rotation: CredentialRotationService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.rotation.rotateAll();
    this.out.line(`rotated ${accounts(report.rotated)}, ${report.alreadyCurrent} already current`);
    if (report.unreadable.length > 0) {
      throw new Error(
        `${accounts(report.unreadable.length)} could not be decrypted with APP_SECRET_KEY or APP_SECRET_KEY_PREVIOUS ` +
          `and kept as they were: ${report.unreadable.join(', ')}`,
      );
    }
  }
}
