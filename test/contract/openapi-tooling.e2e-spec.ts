/**
 * openapi.json through the tools an integrator uses: `redocly lint` with the
 * recommended rules, `openapi-typescript`, and a client written with
 * `openapi-fetch` that must type-check without a cast (the document test
 * keeps openapi.json equal to what the service serves).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const DOCUMENT = join(ROOT, 'openapi.json');
const CLIENT_FLOW = join(__dirname, 'client-flow', 'admin-client-flow.ts');
const run = promisify(execFile);

/** Runs a package's command-line entry point with this Node, offline (no telemetry, no update check). */
function runPackageCli(entryPoint: string, args: string[], cwd = ROOT) {
  return run(process.execPath, [join(ROOT, 'node_modules', entryPoint), ...args], {
    cwd,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`${entryPoint} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
}

describe('openapi.json with an integrator’s tools', () => {
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'gateway-client-'));
    // The client's project sees this repository's packages (openapi-fetch, typescript) as its own.
    symlinkSync(join(ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('passes `redocly lint` with the recommended rules: no error, no warning', async () => {
    const { stdout } = await runPackageCli('@redocly/cli/bin/cli.js', ['lint', DOCUMENT, '--format=json']);
    const report = JSON.parse(stdout) as { totals: Record<string, number>; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('generates types with openapi-typescript that a client written with openapi-fetch compiles against, without casts', async () => {
    const source = readFileSync(CLIENT_FLOW, 'utf8');
    const code = source.replace(/\/\/.*$/gm, '');
    // No `x as T`, no `<T>x`, no `any`, no `@ts-ignore`, no non-null `!`.
    expect(code).not.toMatch(
      /\bas\s+(?!const\b)[A-Za-z{[(]|(?:[=(,:]|return)\s*<[A-Za-z]|\bany\b|@ts-ignore|[\w)\]]!(?!=)/,
    );
    // Each @ts-expect-error is a request the types must refuse: tsc fails on one that compiles.
    expect(source.match(/@ts-expect-error/g)?.length).toBeGreaterThanOrEqual(3);

    await runPackageCli('openapi-typescript/bin/cli.js', [DOCUMENT, '--output', join(workDir, 'admin-api.ts')]);
    copyFileSync(CLIENT_FLOW, join(workDir, 'admin-client-flow.ts'));
    writeFileSync(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node20',
          target: 'ES2022',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          esModuleInterop: true,
          noEmit: true,
        },
        files: ['admin-client-flow.ts', 'admin-api.ts'],
      }),
    );
    const { stdout } = await runPackageCli('typescript/bin/tsc', ['-p', join(workDir, 'tsconfig.json')], workDir);
    expect(stdout).toBe('');
  });
});
