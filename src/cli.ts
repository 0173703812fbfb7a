import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { loadEnvironmentOrExit } from '@config';

/** Any failure ends the command with a one-line reason and a non-zero exit code. */
function fail(error: unknown): never {
  const commanderCode = (error as { code?: unknown })?.code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    // Commander has already printed the usage problem (or the help) itself.
    process.exit(Number((error as { exitCode?: unknown }).exitCode ?? 1));
  }
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${reason.split('\n')[0]}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const environment = loadEnvironmentOrExit();
  await CommandFactory.run(CliModule.register(environment), {
    logger: ['error', 'warn'],
    errorHandler: fail,
    serviceErrorHandler: fail,
  });
}

main().catch(fail);
