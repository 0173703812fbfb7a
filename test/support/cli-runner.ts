import { CommandTestFactory } from 'nest-commander-testing';
import { CliModule } from '../../src/cli.module';
import { CliOutput } from '@common/cli-output';
import { parseEnvironment, type RawEnvironment } from '@config/environment';

export interface CliRun {
  /** Every line the command printed for the operator. */
  lines: string[];
  /** What it failed with (the CLI prints its first line and exits non-zero); null on success. */
  error: Error | null;
}

/** Runs one command as `npm run cli -- <args>` would, in this process, capturing what it prints. */
export async function runCli(env: RawEnvironment, args: string[]): Promise<CliRun> {
  const lines: string[] = [];
  class CapturedOutput extends CliOutput {
    override line(text: string): void {
      lines.push(text);
    }
  }
  const app = await CommandTestFactory.createTestingCommand(
    { imports: [CliModule.register(parseEnvironment(env))] },
    {
      serviceErrorHandler: (error: Error) => {
        throw error;
      },
    },
  )
    .overrideProvider(CliOutput)
    .useValue(new CapturedOutput())
    .compile();
  try {
    await CommandTestFactory.runWithoutClosing(app, args);
    return { lines, error: null };
  } catch (error) {
    return { lines, error: error as Error };
  } finally {
    await app.close();
  }
}
