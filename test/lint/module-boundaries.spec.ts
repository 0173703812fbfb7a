import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'module-boundaries');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** `npm run lint`'s module rules (.dependency-cruiser.cjs) over a small tree with one import of each kind. */
function violationsOf(tree: string): Violation[] {
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', '.bin', 'depcruise'),
        'src',
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: tree, encoding: 'utf8' },
    );
  } catch (error) {
    // depcruise exits non-zero when it finds violations; its report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the module boundaries that npm run lint enforces', () => {
  const violations = violationsOf(FIXTURE);
  const byRule = (name: string) => violations.filter((v) => v.rule.name === name).map((v) => `${v.from} → ${v.to}`);

  it('refuses an import of another module’s internal file', () => {
    expect(byRule('no-internals-of-other-modules')).toEqual([
      'src/webhooks/into-the-internals.ts → src/messaging/intake/writer.ts',
    ]);
  });

  it('refuses an import against the arrows of the module graph', () => {
    expect(byRule('accounts-is-the-bottom')).toEqual(['src/accounts/against-the-arrows.ts → src/messaging/index.ts']);
  });

  it('refuses a cycle', () => {
    expect(byRule('no-cycles')).toEqual(['src/common/cycle-a.ts → src/common/cycle-b.ts']);
  });

  it('lets a module use another through its index.ts', () => {
    expect(violations.filter((v) => v.from === 'src/webhooks/through-the-index.ts')).toEqual([]);
  });

  it('finds nothing to refuse in the service itself', () => {
    expect(violationsOf(ROOT)).toEqual([]);
  });
});
