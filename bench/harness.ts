import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FakeGraphApi } from '../test/support/fake-graph-api';
import { type DeliveryAccount, RULES_FOR_LOAD } from '../test/support/signed-deliveries';

// What the benchmark and the profile share: the processes they start, the fake Graph API, the accounts.

export const ROOT = join(__dirname, '..');
export const MARIADB = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/gateway_bench';
const ACCOUNTS = 3;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** Starts a server process and resolves once `readyUrl` answers. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
): Promise<ChildProcess> {
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

/** The built service (dist/main.js) on MariaDB, as production runs it; `nodeArguments` go before the script. */
export function startService(
  port: number,
  graphApiBaseUrl: string,
  adminToken: string,
  nodeArguments: string[] = [],
): Promise<ChildProcess> {
  return startProcess(
    [...nodeArguments, 'dist/main.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: MARIADB,
      APP_SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_API_TOKEN: adminToken,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      GRAPH_API_BASE_URL: graphApiBaseUrl,
      // The event webhooks phase's receiver listens on 127.0.0.1.
      EVENT_ENDPOINTS_ALLOW_PRIVATE: 'true',
    },
    `http://127.0.0.1:${port}/health/live`,
  );
}

export async function admin<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: object,
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The accounts the deliveries go to, each with the load's rules unless `withRules` is false. */
export async function registerAccounts(
  baseUrl: string,
  adminToken: string,
  withRules = true,
): Promise<DeliveryAccount[]> {
  const accounts: DeliveryAccount[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const appSecret = randomBytes(16).toString('hex');
    const igUserId = `1784149${String(i).padStart(10, '0')}`;
    const account = await admin<{ id: string }>(baseUrl, adminToken, 'POST', '/accounts', {
      username: `bench_shop_${i}`,
      igUserId,
      accessToken: `IGAAT${randomBytes(24).toString('hex')}`,
      appSecret,
      verifyToken: randomBytes(8).toString('hex'),
    });
    accounts.push({ id: account.id, igUserId, appSecret });
    if (!withRules) continue;
    for (const rule of RULES_FOR_LOAD) await admin(baseUrl, adminToken, 'POST', `/accounts/${account.id}/rules`, rule);
  }
  return accounts;
}

/** A fake Graph API that notes when each customer's reply arrives. */
export async function startGraphApi(): Promise<{ fake: FakeGraphApi; replyReceivedAt: Map<string, number> }> {
  const fake = await FakeGraphApi.start();
  const replyReceivedAt = new Map<string, number>();
  fake.respond('POST', fake.path('/me/messages'), (req) => {
    const recipient = (req.body as { recipient?: { id?: string } })?.recipient?.id ?? '';
    replyReceivedAt.set(recipient, performance.now());
    return { body: { recipient_id: recipient, message_id: `m_${randomBytes(8).toString('hex')}` } };
  });
  return { fake, replyReceivedAt };
}
