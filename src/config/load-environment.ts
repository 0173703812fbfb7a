import { existsSync } from 'node:fs';
import { withDevelopmentSecrets } from './development-secrets';
import { ConfigValidationError, type Environment, parseEnvironment } from './environment';

/**
 * Reads `.env` (when present) and the process environment once, at start.
 * Bad configuration ends the process before anything listens, with one line
 * per problem on stderr.
 */
export function loadEnvironmentOrExit(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return parseEnvironment(
      withDevelopmentSecrets(process.env, 'data', (message) => process.stderr.write(`[config] ${message}\n`)),
    );
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write('Configuration error; the service did not start:\n');
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}
