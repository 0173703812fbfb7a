import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { sqlitePathOf } from '@config';
import { InitialSchema1764201600000 } from './migrations/1764201600000-InitialSchema';
import { DeliveryDigestsAndEventOrder1764892800000 } from './migrations/1764892800000-DeliveryDigestsAndEventOrder';
import { AutoReplyLimits1764979200000 } from './migrations/1764979200000-AutoReplyLimits';
import { FacebookLogin1765065600000 } from './migrations/1765065600000-FacebookLogin';
import { EventWebhooks1765152000000 } from './migrations/1765152000000-EventWebhooks';
import { RichOutbound1765238400000 } from './migrations/1765238400000-RichOutbound';
import { BackfillAndReplay1765324800000 } from './migrations/1765324800000-BackfillAndReplay';
import { CommentTriggers1765411200000 } from './migrations/1765411200000-CommentTriggers';
import { Mentions1765497600000 } from './migrations/1765497600000-Mentions';
import { readCommittedMysql } from './read-committed-mysql';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Classes rather than globs, so the same list serves jest (.ts), dist (.js) and the typeorm CLI. */
export const MIGRATIONS = [
  InitialSchema1764201600000,
  DeliveryDigestsAndEventOrder1764892800000,
  AutoReplyLimits1764979200000,
  FacebookLogin1765065600000,
  EventWebhooks1765152000000,
  RichOutbound1765238400000,
  BackfillAndReplay1765324800000,
  CommentTriggers1765411200000,
  Mentions1765497600000,
];

/** The entity classes the DataSource maps; the application's root lists every module's (src/entities.ts). */
export type EntityClasses = NonNullable<DataSourceOptions['entities']>;

/**
 * The one place DataSource options are built, used by the app, the CLI and
 * `ormconfig.ts`. `synchronize` stays off: only migrations change the schema.
 * Migrations need no entities (they are written with the Table API), so the
 * typeorm CLI may pass none.
 */
export function buildDataSourceOptions(databaseUrl: string, entities: EntityClasses = []): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false as const,
  };

  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    if (sqlitePath !== ':memory:') mkdirSync(dirname(sqlitePath), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: sqlitePath,
      // WAL lets the CLI read beside the server; synchronous=FULL makes an
      // acknowledged webhook survive a power loss, as MySQL's defaults do.
      enableWAL: true,
      timeout: 10_000,
      prepareDatabase: (db: { pragma: (statement: string) => unknown }) => {
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
      },
    };
  }

  return {
    ...common,
    type: 'mysql',
    url: databaseUrl,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    driver: readCommittedMysql,
    // No stack captured per query (mysql2's `trace`): TypeORM's QueryFailedError carries the caller's stack.
    extra: { connectionLimit: 20, enableKeepAlive: true, trace: false },
  };
}
