import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';

async function connect(url: string, database?: string): Promise<Connection> {
  const parsed = new URL(url);
  return createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  });
}

const databaseOf = (url: string) => new URL(url).pathname.slice(1);

export async function recreateDatabase(url: string): Promise<void> {
  const connection = await connect(url);
  const name = databaseOf(url);
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
}

/** Stored inbound messages whose mid starts with `prefix`, as rows per mid: read from the database, not through the service. */
export async function storedInboundMids(url: string, prefix: string): Promise<Map<string, number>> {
  const connection = await connect(url, databaseOf(url));
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT mid, COUNT(*) AS n FROM messages WHERE direction = 'inbound' AND mid LIKE ? GROUP BY mid`,
      [`${prefix}%`],
    );
    return new Map(rows.map((row) => [String(row.mid), Number(row.n)]));
  } finally {
    await connection.end();
  }
}

/**
 * Replies queued or being sent, read from the database: the service's own
 * /health reuses its figures for a few seconds, and would call a backlog
 * drained that a phase has just filled.
 */
export async function outboxBacklog(url: string): Promise<number> {
  const connection = await connect(url, databaseOf(url));
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'sending')`,
    );
    return Number(rows[0].n);
  } finally {
    await connection.end();
  }
}

/** Event deliveries still pending, read from the database. */
export async function eventBacklog(url: string): Promise<number> {
  const connection = await connect(url, databaseOf(url));
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM event_deliveries WHERE status = 'pending'`,
    );
    return Number(rows[0].n);
  } finally {
    await connection.end();
  }
}
