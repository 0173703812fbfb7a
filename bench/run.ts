/**
 * `npm run bench`: the service's durable webhook intake against the ceiling
 * of a bare NestJS endpoint and a bare node:http server, measured in one run
 * on this machine. Writes bench/results/<date>.json and .md.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { FakeGraphApi } from '../test/support/fake-graph-api';
import { type DeliveryAccount, RULES_FOR_LOAD, signedDeliveries } from '../test/support/signed-deliveries';
import { closedLoop, type Delivery, type LatencySummary, openLoop, summarize } from './load';
import { freePort } from '../test/support/free-port';
import { outboxBacklog, recreateDatabase } from './database';

const ROOT = join(__dirname, '..');
const MARIADB = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/gateway_bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const CONNECTIONS = 50;
/** 500/s and 2000/s are the targets' rates; 200/s shows the service below its saturation point. */
const RATES = [200, 500, 2000];
const CLOCK_TICKS_PER_SECOND = 100;
const OUTBOX_DRAIN_TIMEOUT_MS = 300_000;

interface Target {
  name: 'service' | 'bare-nest' | 'bare-http';
  baseUrl: string;
  process: ChildProcess;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** Starts a server process and resolves once `readyUrl` answers. */
async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(readyUrl, { method: 'GET' }).then(
      (res) => res.status < 500,
      () => false,
    );
    if (up) return child;
    await sleep(100);
  }
  throw new Error(`${args.join(' ')} did not come up: ${stderr}`);
}

/** CPU seconds (user + system) a process has used so far, and its resident memory in MiB. */
function usageOf(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, rssMiB: Math.round(Number(rss?.[1] ?? 0) / 1024) };
}

/** Runs `work` while sampling a process: CPU as a share of one core over the work, and its peak RSS. */
async function measured<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; cpuPercent: number; peakRssMiB: number }> {
  const before = usageOf(pid);
  const startedAt = performance.now();
  let peakRssMiB = before.rssMiB;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, usageOf(pid).rssMiB)), 250);
  try {
    const result = await work();
    const elapsed = (performance.now() - startedAt) / 1000;
    const cpuPercent = Math.round(((usageOf(pid).cpuSeconds - before.cpuSeconds) / elapsed) * 1000) / 10;
    return { result, cpuPercent, peakRssMiB: Math.max(peakRssMiB, usageOf(pid).rssMiB) };
  } finally {
    clearInterval(sampler);
  }
}

async function admin<T>(baseUrl: string, token: string, method: string, path: string, body: object): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Deliveries for the load generators; a reply-worthy one is noted with its due time, to time its reply. */
function deliveries(accounts: DeliveryAccount[], onReplyWorthy?: (sender: string, dueAt: number) => void) {
  const next = signedDeliveries(accounts);
  return (dueAt = performance.now()): Delivery => {
    const delivery = next();
    if (delivery.replyWorthy) onReplyWorthy?.(delivery.sender, dueAt);
    return delivery;
  };
}

/** Idle is measured once every queued reply has gone: until then the dispatcher is working, not idle. */
async function outboxDrained(): Promise<void> {
  for (let waited = 0; waited < OUTBOX_DRAIN_TIMEOUT_MS; waited += 1000) {
    if ((await outboxBacklog(MARIADB)) === 0) return;
    await sleep(1000);
  }
  throw new Error(`the outbox did not drain within ${OUTBOX_DRAIN_TIMEOUT_MS / 1000} s`);
}

async function main(): Promise<void> {
  process.stdout.write('building…\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  await recreateDatabase(MARIADB);
  const fake = await FakeGraphApi.start();
  const replyReceivedAt = new Map<string, number>();
  fake.respond('POST', fake.path('/me/messages'), (req) => {
    const recipient = (req.body as { recipient?: { id?: string } })?.recipient?.id ?? '';
    replyReceivedAt.set(recipient, performance.now());
    return { body: { recipient_id: recipient, message_id: `m_${randomBytes(8).toString('hex')}` } };
  });

  const adminToken = randomBytes(24).toString('hex');
  const ports = { service: await freePort(), 'bare-nest': await freePort(), 'bare-http': await freePort() };
  const service = await startProcess(
    ['dist/main.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: MARIADB,
      APP_SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_API_TOKEN: adminToken,
      PORT: String(ports.service),
      LOG_LEVEL: 'warn',
      GRAPH_API_BASE_URL: fake.baseUrl,
    },
    `http://127.0.0.1:${ports.service}/health/live`,
  );
  const tsNode = ['-r', 'ts-node/register/transpile-only'];
  const bareNest = await startProcess(
    [...tsNode, 'bench/bare-nest.ts'],
    {
      PORT: String(ports['bare-nest']),
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    },
    `http://127.0.0.1:${ports['bare-nest']}/`,
  );
  const bareHttp = await startProcess(
    [...tsNode, 'bench/bare-http.ts'],
    {
      PORT: String(ports['bare-http']),
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    },
    `http://127.0.0.1:${ports['bare-http']}/`,
  );
  const targets: Target[] = [
    { name: 'service', baseUrl: `http://127.0.0.1:${ports.service}`, process: service },
    { name: 'bare-nest', baseUrl: `http://127.0.0.1:${ports['bare-nest']}`, process: bareNest },
    { name: 'bare-http', baseUrl: `http://127.0.0.1:${ports['bare-http']}`, process: bareHttp },
  ];

  const accounts: DeliveryAccount[] = [];
  for (let i = 0; i < 3; i++) {
    const appSecret = randomBytes(16).toString('hex');
    const igUserId = `1784149${String(i).padStart(10, '0')}`;
    const account = await admin<{ id: string }>(targets[0].baseUrl, adminToken, 'POST', '/accounts', {
      username: `bench_shop_${i}`,
      igUserId,
      accessToken: `IGAAT${randomBytes(24).toString('hex')}`,
      appSecret,
      verifyToken: randomBytes(8).toString('hex'),
    });
    accounts.push({ id: account.id, igUserId, appSecret });
    for (const rule of RULES_FOR_LOAD)
      await admin(targets[0].baseUrl, adminToken, 'POST', `/accounts/${account.id}/rules`, rule);
  }

  process.stdout.write(`idle for ${IDLE_SECONDS} s before any load…\n`);
  const idleBefore = await measured(service.pid!, () => sleep(IDLE_SECONDS * 1000));

  process.stdout.write('warming up…\n');
  for (const target of targets) await closedLoop(target.baseUrl, deliveries(accounts), CONNECTIONS, 3);

  const results: Record<string, Record<string, unknown>> = {};
  for (const target of targets) {
    process.stdout.write(`closed loop, ${CONNECTIONS} connections: ${target.name}\n`);
    const run = await measured(target.process.pid!, () =>
      closedLoop(target.baseUrl, deliveries(accounts), CONNECTIONS, SECONDS),
    );
    results[target.name] = { closedLoop: { ...run.result, cpuPercent: run.cpuPercent, peakRssMiB: run.peakRssMiB } };
  }

  const replies: Record<string, LatencySummary> = {};
  for (const rate of RATES) {
    for (const target of targets) {
      process.stdout.write(`open loop, ${rate}/s: ${target.name}\n`);
      const sentAt = new Map<string, number>();
      const isService = target.name === 'service';
      // Replies still queued from an earlier phase would be timed against this one's.
      if (isService) await outboxDrained();
      const next = deliveries(accounts, isService ? (sender, dueAt) => sentAt.set(sender, dueAt) : undefined);
      replyReceivedAt.clear();
      const run = await measured(target.process.pid!, () => openLoop(target.baseUrl, next, rate, SECONDS));
      results[target.name][`open${rate}`] = { ...run.result, cpuPercent: run.cpuPercent, peakRssMiB: run.peakRssMiB };
      if (isService) {
        await outboxDrained();
        const latencies = [...sentAt].flatMap(([sender, dueAt]) => {
          const receivedAt = replyReceivedAt.get(sender);
          return receivedAt === undefined ? [] : [receivedAt - dueAt];
        });
        replies[rate] = summarize(latencies, sentAt.size - latencies.length);
      }
      await sleep(1000);
    }
  }

  await outboxDrained();
  process.stdout.write(`idle for ${IDLE_SECONDS} s after the load…\n`);
  const idleAfter = await measured(service.pid!, () => sleep(IDLE_SECONDS * 1000));

  const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;
  const nest = results['bare-nest'];
  const svc = results.service;
  const closed = (r: Record<string, unknown>) => (r.closedLoop as { perSecond: number }).perSecond;
  const open = (r: Record<string, unknown>, rate: number) =>
    r[`open${rate}`] as LatencySummary & { cpuPercent: number; peakRssMiB: number };
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    settings: {
      seconds: SECONDS,
      connections: CONNECTIONS,
      rates: RATES,
      accounts: accounts.length,
      database: 'MariaDB (localhost)',
    },
    results,
    replies,
    idle: {
      seconds: IDLE_SECONDS,
      before: { cpuPercent: idleBefore.cpuPercent, rssMiB: idleBefore.peakRssMiB },
      // Still looking up the profiles of the thousands of new customers the load brought (10 every 5 s).
      after: { cpuPercent: idleAfter.cpuPercent, rssMiB: idleAfter.peakRssMiB },
    },
    ratios: {
      closedLoopThroughput: ratio(closed(svc), closed(nest)),
      ...Object.fromEntries(RATES.map((rate) => [`p99At${rate}`, ratio(open(svc, rate).p99, open(nest, rate).p99)])),
    },
  };

  const day = report.date.slice(0, 10);
  writeFileSync(join(ROOT, 'bench', 'results', `${day}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const rows = (['service', 'bare-nest', 'bare-http'] as const).map((name) => {
    const r = results[name];
    const c = r.closedLoop as { perSecond: number; cpuPercent: number; peakRssMiB: number };
    return `| ${name} | ${c.perSecond} (${ratio(c.perSecond, closed(nest))}) | ${RATES.map((rate) => `${open(r, rate).p50} / ${open(r, rate).p99} / ${open(r, rate).p999} (${open(r, rate).errors} err)`).join(' | ')} | ${c.cpuPercent}% | ${Math.max(c.peakRssMiB, ...RATES.map((rate) => open(r, rate).peakRssMiB))} |`;
  });
  const markdown = [
    `Benchmark of ${report.date} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; MariaDB on localhost; load generator on the same machine.`,
    '',
    `| target | deliveries/s, ${CONNECTIONS} connections (ratio to bare NestJS) | ${RATES.map((rate) => `ack ms p50 / p99 / p99.9 at ${rate}/s`).join(' | ')} | CPU (closed loop, % of one core) | peak RSS MiB |`,
    `|---|---|${RATES.map(() => '---|').join('')}---|---|`,
    ...rows,
    '',
    `Reply latency (webhook due time → fake Graph API receives the reply): ${RATES.map((rate) => `at ${rate}/s p50 ${replies[rate]?.p50} ms, p99 ${replies[rate]?.p99} ms (${replies[rate]?.count} replies, ${replies[rate]?.errors} missing)`).join('; ')}.`,
    `Idle CPU over ${IDLE_SECONDS} s: ${report.idle.before.cpuPercent}% of one core before any load (RSS ${report.idle.before.rssMiB} MiB); ${report.idle.after.cpuPercent}% after it, with the outbox drained but profile lookups of the load's new customers still running (RSS ${report.idle.after.rssMiB} MiB).`,
    `Ratios to bare NestJS: throughput ${report.ratios.closedLoopThroughput}; p99 at ${RATES.map((r) => `${r}/s ${(report.ratios as Record<string, number>)[`p99At${r}`]}`).join(', ')}.`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'results', `${day}.md`), markdown);
  process.stdout.write(`\n${markdown}\n`);

  for (const target of targets) target.process.kill('SIGTERM');
  await fake.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
