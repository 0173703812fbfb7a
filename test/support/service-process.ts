import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs an entry point of the service (`src/main.ts`, `src/cli.ts`, or another
 * script given by path) as a real process through ts-node, so a test sees
 * exactly what an operator would: exit code, stdout and stderr.
 */
export function startServiceProcess(
  entry: 'main' | 'cli' | { script: string },
  env: Record<string, string | undefined>,
  args: string[] = [],
): ServiceProcess {
  let output = '';
  const script = typeof entry === 'string' ? join(ROOT, 'src', `${entry}.ts`) : entry.script;
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', script, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
