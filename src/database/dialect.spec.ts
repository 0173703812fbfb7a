import { insertSkippingDuplicatesSql, sqlParameter, upsertKeepingLatestSql, upsertSyntaxOf } from './dialect';

describe('upsertSyntaxOf', () => {
  it.each([
    ['better-sqlite3', undefined, 'sqlite'],
    ['mysql', '10.11.19', 'values_function'],
    ['mysql', '11.4.2', 'values_function'],
    ['mysql', '8.0.18', 'values_function'],
    ['mysql', '8.0.19', 'row_alias'],
    ['mysql', '8.4.3', 'row_alias'],
    ['mysql', '9.1.0', 'row_alias'],
    ['mysql', '5.7.44', 'values_function'],
  ] as const)('%s %s speaks %s', (type, version, syntax) => {
    expect(upsertSyntaxOf(type, version)).toBe(syntax);
  });
});

describe('insertSkippingDuplicatesSql', () => {
  it('binds the columns of every row and writes the constants as literals', () => {
    const sql = insertSkippingDuplicatesSql('sqlite', 't', ['id', 'a'], 2, { kind: "'x'", n: '0' });
    expect(sql).toBe("INSERT INTO t (id, a, kind, n) VALUES (?, ?, 'x', 0), (?, ?, 'x', 0) ON CONFLICT DO NOTHING");
  });

  it('skips duplicates on MySQL without INSERT IGNORE, which would hide other errors', () => {
    const sql = insertSkippingDuplicatesSql('values_function', 't', ['id'], 1);
    expect(sql).toBe('INSERT INTO t (id) VALUES (?) ON DUPLICATE KEY UPDATE id = id');
    expect(sql).not.toMatch(/IGNORE/);
  });
});

describe('upsertKeepingLatestSql', () => {
  const update = { conflictColumns: ['k'], latestColumns: ['at'], touchedColumns: ['seen'] };

  it('on SQLite keeps the later time through excluded', () => {
    expect(upsertKeepingLatestSql('sqlite', 't', ['k', 'at', 'seen'], 1, update)).toBe(
      'INSERT INTO t (k, at, seen) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET ' +
        'at = MAX(COALESCE(at, excluded.at), COALESCE(excluded.at, at)), seen = excluded.seen',
    );
  });

  it('on MariaDB through VALUES()', () => {
    expect(upsertKeepingLatestSql('values_function', 't', ['k', 'at', 'seen'], 1, update)).toBe(
      'INSERT INTO t (k, at, seen) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ' +
        'at = GREATEST(COALESCE(at, VALUES(at)), COALESCE(VALUES(at), at)), seen = VALUES(seen)',
    );
  });

  it('on MySQL 8 through the row alias', () => {
    expect(upsertKeepingLatestSql('row_alias', 't', ['k', 'at', 'seen'], 1, update)).toBe(
      'INSERT INTO t (k, at, seen) VALUES (?, ?, ?) AS incoming ON DUPLICATE KEY UPDATE ' +
        'at = GREATEST(COALESCE(at, incoming.at), COALESCE(incoming.at, at)), seen = incoming.seen',
    );
  });
});

describe('sqlParameter', () => {
  it('gives SQLite the UTC text TypeORM writes, and 1 or 0 for booleans', () => {
    expect(sqlParameter('sqlite', new Date('2026-01-31T12:00:00.5Z'))).toBe('2026-01-31 12:00:00.500');
    expect(sqlParameter('sqlite', true)).toBe(1);
    expect(sqlParameter('sqlite', false)).toBe(0);
  });

  it('leaves values to mysql2 as they are', () => {
    const at = new Date();
    expect(sqlParameter('values_function', at)).toBe(at);
    expect(sqlParameter('row_alias', true)).toBe(true);
  });
});
