/**
 * `npm run bench:profile`: where the service's CPU goes under the benchmark's
 * closed loop. Runs the built service with `node --cpu-prof` on MariaDB,
 * sends it the benchmark's deliveries from 50 connections, and prints the
 * CPU of the measured window by package and module, per delivery. The
 * profile itself is kept in bench/results/profiles/ (open it in Chrome's
 * DevTools, Performance tab). `BENCH_PROFILE_RULES=0` registers no rules,
 * so nothing is answered: the difference is what the replies cost.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { signedDeliveries } from '../test/support/signed-deliveries';
import { type CpuProfile, cpuByPlace } from './cpu-profile';
import { recreateDatabase } from './database';
import { MARIADB, registerAccounts, ROOT, startGraphApi, startService } from './harness';
import { batchFigures, scrapeMetrics } from './intake-batches';
import { closedLoop } from './load';
import { usageOf } from './process-usage';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WITH_RULES = process.env.BENCH_PROFILE_RULES !== '0';
const CONNECTIONS = 50;
const WARM_UP_SECONDS = 3;
const TOP = 25;
const PROFILES = join(ROOT, 'bench', 'results', 'profiles');

const newestProfile = (): string => {
  const [newest] = readdirSync(PROFILES)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(PROFILES, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!newest) throw new Error(`no .cpuprofile was written to ${PROFILES}`);
  return newest;
};

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(PROFILES, { recursive: true });
  await recreateDatabase(MARIADB);
  const { fake } = await startGraphApi();
  const adminToken = randomBytes(24).toString('hex');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const service = await startService(port, fake.baseUrl, adminToken, ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`]);
  const next = signedDeliveries(await registerAccounts(baseUrl, adminToken, WITH_RULES));
  await closedLoop(baseUrl, next, CONNECTIONS, WARM_UP_SECONDS);

  const before = await scrapeMetrics(baseUrl);
  const cpuBefore = usageOf(service.pid!).cpuSeconds;
  const windowStart = performance.now() - startedAt;
  const loop = await closedLoop(baseUrl, next, CONNECTIONS, SECONDS);
  const windowEnd = performance.now() - startedAt;
  const cpuSeconds = usageOf(service.pid!).cpuSeconds - cpuBefore;
  const batches = batchFigures(before, await scrapeMetrics(baseUrl), SECONDS);

  // The profile is written as the process exits.
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  await exited;
  await fake.close();
  const file = newestProfile();
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const deliveries = loop.perSecond * SECONDS;
  const lines = [
    `${WITH_RULES ? 'with' : 'without'} rules, ${CONNECTIONS} connections, ${SECONDS} s: ${loop.perSecond} deliveries/s`,
    `service CPU: ${((cpuSeconds * 1000) / deliveries).toFixed(3)} ms per delivery (${Math.round((cpuSeconds / SECONDS) * 100)}% of a core)`,
    `intake: ${batches.deliveriesPerCommit.mean} deliveries and ${batches.statementsPerCommit.mean} statements per commit`,
    `profile: ${file}`,
    '',
    '| where | ms | share | µs per delivery |',
    '|---|---:|---:|---:|',
    ...cpuByPlace(profile, windowStart, windowEnd)
      .slice(0, TOP)
      .map(
        ({ where, ms, share }) =>
          `| ${where} | ${Math.round(ms)} | ${(share * 100).toFixed(1)}% | ${((ms * 1000) / deliveries).toFixed(1)} |`,
      ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
