import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '@common';
import { KeyRotation } from '@crypto';

const counted = (count: number, [one, many]: readonly [string, string]) => `${count} ${count === 1 ? one : many}`;

@Command({
  name: 'rotate-keys',
  description:
    're-encrypt every stored credential with APP_SECRET_KEY (old ones are read with APP_SECRET_KEY_PREVIOUS); idempotent',
})
export class RotateKeysCommand extends CommandRunner {
  constructor(
    private readonly keyRotation: KeyRotation,
    private readonly out: CliOutput,
  ) {
    super();
  }

  /** Accounts' credentials, then every other kind of record that holds ciphertexts (event endpoints' secrets). */
  async run(): Promise<void> {
    const unreadable: string[] = [];
    for (const records of this.keyRotation.registered()) {
      const report = await records.rotateAll();
      this.out.line(`rotated ${counted(report.rotated, records.noun)}, ${report.alreadyCurrent} already current`);
      if (report.unreadable.length > 0) {
        unreadable.push(
          `${counted(report.unreadable.length, records.noun)} could not be decrypted with APP_SECRET_KEY or ` +
            `APP_SECRET_KEY_PREVIOUS and kept as they were: ${report.unreadable.join(', ')}`,
        );
      }
    }
    if (unreadable.length > 0) throw new Error(unreadable.join('; '));
  }
}
