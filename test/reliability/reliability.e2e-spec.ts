/**
 * `npm run test:reliability`: the promises under faults, on MariaDB with real
 * service processes. Sizes scale with RELIABILITY_DELIVERIES (default 2000;
 * the full run is 20000).
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { FakeGraphApi, type FakeResponse } from '../support/fake-graph-api';
import {
  RULES_FOR_LOAD,
  type DeliveryAccount,
  type SignedDelivery,
  signedDeliveries,
} from '../support/signed-deliveries';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { clusterSecrets, type Replica, startReplica, stopReplica } from './support/cluster';
import { TcpProxy } from './support/tcp-proxy';

const DELIVERIES = Number(process.env.RELIABILITY_DELIVERIES ?? 2000);
const CONCURRENCY = 50;
const SEND = '/v25.0/me/messages';

type Row = Record<string, unknown>;
type Outcome = number | 'refused';

jest.setTimeout(15 * 60 * 1000);

async function post(replica: Replica, delivery: SignedDelivery): Promise<Outcome> {
  try {
    const res = await fetch(`${replica.baseUrl}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'refused';
  }
}

/** Sends every job with at most CONCURRENCY in flight, and answers each job's outcome. */
async function sendAll<T>(jobs: T[], send: (job: T) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const index = next++;
        outcomes[index] = await send(jobs[index]);
      }
    }),
  );
  return outcomes;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('reliability on MariaDB', () => {
  let database: TestDatabase;
  let db: Connection;
  let fake: FakeGraphApi;
  let replicas: Replica[] = [];
  const secrets = clusterSecrets();

  const env = (databaseUrl: string) => ({
    DATABASE_URL: databaseUrl,
    GRAPH_API_BASE_URL: fake.baseUrl,
    ...secrets,
  });
  const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0] as Row[];
  const count = async (sql: string, params: unknown[] = []) => Number((await query(sql, params))[0].n);
  /** Successful Send API answers per recipient: a reply reached Meta that many times. */
  const sendsByRecipient = () => {
    const sends = new Map<string, number>();
    for (const request of fake.requestsTo('POST', SEND)) {
      const recipient = (request.body as { recipient?: { id?: string } })?.recipient?.id ?? '';
      sends.set(recipient, (sends.get(recipient) ?? 0) + 1);
    }
    return sends;
  };
  const outboxDrained = async () =>
    (await count(
      "SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'sending')",
    )) === 0;

  async function registerAccounts(replica: Replica): Promise<DeliveryAccount[]> {
    const accounts: DeliveryAccount[] = [];
    for (let i = 0; i < 3; i++) {
      const appSecret = `secret-${i}-${Math.random().toString(36).slice(2)}`;
      const igUserId = `178414${Date.now() % 1_000_000}${i}`;
      const admin = (path: string, body: object) =>
        fetch(`${replica.baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secrets.ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (res) => {
          if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
          return (await res.json()) as { id: string };
        });
      const account = await admin('/accounts', {
        username: `reliable_${i}_${Math.random().toString(36).slice(2, 8)}`,
        igUserId,
        accessToken: `IGAAT-${Math.random().toString(36).slice(2)}`,
        appSecret,
        verifyToken: `verify-${i}`,
      });
      for (const rule of RULES_FOR_LOAD) await admin(`/accounts/${account.id}/rules`, rule);
      accounts.push({ id: account.id, igUserId, appSecret });
    }
    return accounts;
  }

  beforeEach(async () => {
    database = await createTestDatabase();
    if (database.dialect !== 'mysql')
      throw new Error('the reliability suite runs on MySQL/MariaDB: set DATABASE_URL=mysql://…/<name with test>');
    const url = new URL(database.url);
    db = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    });
    fake = await FakeGraphApi.start();
    replicas = [];
  });

  afterEach(async () => {
    await Promise.all(replicas.map((replica) => stopReplica(replica, 'SIGKILL')));
    await fake.close();
    await db.end();
    await database.drop();
  });

  it(`stores a burst of ${DELIVERIES} deliveries with 10% redelivered over two replicas exactly once, and answers each once`, async () => {
    replicas = await Promise.all(['a', 'b'].map((name) => startReplica(name, env(database.url))));
    const accounts = await registerAccounts(replicas[0]);
    const next = signedDeliveries(accounts);
    const unique = Array.from({ length: DELIVERIES }, () => next());
    // Every tenth delivery comes twice, the copy to the other replica at the same moment.
    const jobs = unique.flatMap((delivery, i) =>
      i % 10 === 0
        ? [
            { delivery, replica: 0 },
            { delivery, replica: 1 },
          ]
        : [{ delivery, replica: i % 2 }],
    );
    const outcomes = await sendAll(jobs, (job) => post(replicas[job.replica], job.delivery));
    expect(outcomes.filter((o) => o !== 200)).toEqual([]);

    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE direction = 'inbound'")).toBe(DELIVERIES);
    expect(
      await query('SELECT mid FROM messages WHERE mid IS NOT NULL GROUP BY account_id, mid HAVING COUNT(*) > 1'),
    ).toEqual([]);
    await waitFor('the outbox to drain', outboxDrained);
    const sends = sendsByRecipient();
    const worthy = unique.filter((d) => d.replyWorthy);
    expect(worthy.filter((d) => sends.get(d.sender) !== 1).map((d) => d.sender)).toEqual([]);
    expect(sends.size).toBe(worthy.length);
  });

  it('answers 503 while the database is unreachable, stores every delivery it acknowledged, and recovers by itself', async () => {
    const target = new URL(database.url);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port || 3306));
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    try {
      replicas = [await startReplica('a', env(viaProxy.toString()))];
      const accounts = await registerAccounts(replicas[0]);
      const next = signedDeliveries(accounts);
      const deliveries = Array.from({ length: Math.max(600, Math.floor(DELIVERIES / 2)) }, () => next());
      const outage = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        proxy.disconnect();
        await new Promise((resolve) => setTimeout(resolve, Number(process.env.RELIABILITY_OUTAGE_MS ?? 10_000)));
        proxy.reconnect();
      })();
      // Paced over the outage, as Meta's deliveries keep coming.
      const outcomes = await sendAll(deliveries, async (delivery) => {
        await new Promise((resolve) => setTimeout(resolve, 20 * CONCURRENCY * Math.random()));
        return post(replicas[0], delivery);
      });
      await outage;
      const acknowledged = deliveries.filter((_, i) => outcomes[i] === 200);
      const refused = deliveries.filter((_, i) => outcomes[i] !== 200);
      expect(new Set(outcomes.filter((o) => o !== 200))).toEqual(new Set(refused.length > 0 ? [503] : []));
      expect(refused.length).toBeGreaterThan(0);
      const stored = new Set(
        (await query("SELECT mid FROM messages WHERE direction = 'inbound'")).map((r) => String(r.mid)),
      );
      expect(acknowledged.filter((d) => !stored.has(d.mid))).toEqual([]);
      // Meta redelivers what was refused; the service is back without a restart.
      await waitFor('the service to recover', async () => (await post(replicas[0], next())) === 200);
      const retried = await sendAll(refused, (delivery) => post(replicas[0], delivery));
      expect(retried.filter((o) => o !== 200)).toEqual([]);
      const storedAfter = new Set(
        (await query("SELECT mid FROM messages WHERE direction = 'inbound'")).map((r) => String(r.mid)),
      );
      expect(deliveries.filter((d) => !storedAfter.has(d.mid))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('sends every reply exactly once while the Graph API flaps, backing off as Meta asks', async () => {
    const failures: FakeResponse[] = [
      { dropConnection: true },
      {
        status: 500,
        body: {
          error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2, fbtrace_id: 'T1' },
        },
      },
      {
        status: 400,
        headers: {
          'x-business-use-case-usage': JSON.stringify({
            x: [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: 0.02 }],
          }),
        },
        body: {
          error: {
            message: 'Calls to this api have exceeded the rate limit.',
            type: 'OAuthException',
            code: 613,
            error_subcode: 2534040,
            fbtrace_id: 'T2',
          },
        },
      },
    ];
    const attemptsOf = new Map<string, number[]>();
    fake.respond('POST', SEND, (request) => {
      const recipient = (request.body as { recipient: { id: string } }).recipient.id;
      const times = [...(attemptsOf.get(recipient) ?? []), Date.now()];
      attemptsOf.set(recipient, times);
      return failures[times.length - 1] ?? { body: { recipient_id: recipient, message_id: `m-${recipient}` } };
    });
    replicas = await Promise.all(['a', 'b'].map((name) => startReplica(name, env(database.url))));
    const accounts = await registerAccounts(replicas[0]);
    const next = signedDeliveries(accounts);
    const deliveries = Array.from({ length: 200 }, () => next());
    const outcomes = await sendAll(deliveries, (delivery) =>
      post(replicas[Number(delivery.mid.slice(-1)) % 2], delivery),
    );
    expect(outcomes.filter((o) => o !== 200)).toEqual([]);
    await waitFor('every reply to be sent', outboxDrained);
    const worthy = deliveries.filter((d) => d.replyWorthy);
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound' AND status = 'sent'")).toBe(
      worthy.length,
    );
    for (const delivery of worthy) {
      const times = attemptsOf.get(delivery.sender) ?? [];
      // Three failures, then the one success: the reply reached Meta once.
      expect(times).toHaveLength(failures.length + 1);
      // After the rate limit, Meta's own estimate (0.02 min) is waited out before the next try.
      expect(times[3] - times[2]).toBeGreaterThanOrEqual(1200);
    }
    const [row] = await query(
      "SELECT MAX(attempts) AS most, MIN(attempts) AS least FROM messages WHERE direction = 'outbound'",
    );
    expect([Number(row.least), Number(row.most)]).toEqual([failures.length + 1, failures.length + 1]);
  });

  it('sends what a replica killed mid-send had claimed, through the other replica once its lease expires', async () => {
    replicas = [await startReplica('a', env(database.url))];
    const accounts = await registerAccounts(replicas[0]);
    // Meta holds every answer to replica a, so its sends are in flight when it dies.
    let holding = true;
    fake.respond('POST', SEND, (request) => {
      const recipient = (request.body as { recipient: { id: string } }).recipient.id;
      return {
        body: { recipient_id: recipient, message_id: `m-${recipient}-${Date.now()}` },
        delayMs: holding ? 60_000 : 0,
      };
    });
    const next = signedDeliveries(accounts);
    const deliveries = Array.from({ length: 300 }, () => next());
    expect((await sendAll(deliveries, (d) => post(replicas[0], d))).filter((o) => o !== 200)).toEqual([]);
    const worthy = deliveries.filter((d) => d.replyWorthy);
    await waitFor('replica a to have sends in flight', async () => fake.requestsTo('POST', SEND).length > 0);
    await stopReplica(replicas[0], 'SIGKILL');
    holding = false;
    const inFlightAtDeath = fake.requestsTo('POST', SEND).length;
    replicas.push(await startReplica('b', env(database.url)));
    await waitFor('replica b to send the orphans', outboxDrained);
    const sends = sendsByRecipient();
    expect(worthy.filter((d) => !sends.has(d.sender)).map((d) => d.sender)).toEqual([]);
    const duplicates = [...sends.values()].filter((n) => n > 1).length;
    // Meta received the dead replica's requests but it never learnt the answers: those may go twice, nothing else.
    expect(duplicates).toBeLessThanOrEqual(inFlightAtDeath);
    process.stdout.write(`kill -9: ${inFlightAtDeath} sends in flight at the kill, ${duplicates} sent twice, 0 lost\n`);
  });

  it('loses nothing when a replica is stopped with SIGTERM during load', async () => {
    replicas = await Promise.all(['a', 'b'].map((name) => startReplica(name, env(database.url))));
    const accounts = await registerAccounts(replicas[0]);
    const next = signedDeliveries(accounts);
    const deliveries = Array.from({ length: Math.max(600, Math.floor(DELIVERIES / 2)) }, () => next());
    const stopping = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return stopReplica(replicas[0], 'SIGTERM');
    })();
    const outcomes = await sendAll(deliveries, (delivery) => post(replicas[0], delivery));
    expect(await stopping).toBe(0);
    // What the stopping replica did not acknowledge, Meta redelivers to the other.
    const unacknowledged = deliveries.filter((_, i) => outcomes[i] !== 200);
    expect((await sendAll(unacknowledged, (d) => post(replicas[1], d))).filter((o) => o !== 200)).toEqual([]);
    const stored = new Set(
      (await query("SELECT mid FROM messages WHERE direction = 'inbound'")).map((r) => String(r.mid)),
    );
    expect(deliveries.filter((d) => !stored.has(d.mid))).toEqual([]);
    await waitFor('the outbox to drain', outboxDrained);
    const sends = sendsByRecipient();
    expect(deliveries.filter((d) => d.replyWorthy && sends.get(d.sender) !== 1).map((d) => d.sender)).toEqual([]);
  });
});
