import mysql2, { type Pool, type PoolConnection, type PoolOptions } from 'mysql2';

/** The isolation every transaction runs at on MySQL and MariaDB (see `Transactor`). */
const MYSQL_ISOLATION = 'READ COMMITTED';

/**
 * mysql2 for TypeORM (its `driver` option), with each pooled connection put
 * in READ COMMITTED once, as the pool opens it: TypeORM would otherwise send
 * `SET TRANSACTION ISOLATION LEVEL` before every transaction, one more round
 * trip for each of the intake's commits. mysql2 runs a connection's commands
 * in order, so the setting precedes anything the connection is used for.
 */
export const readCommittedMysql = {
  ...mysql2,
  createPool(options: PoolOptions): Pool {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection: PoolConnection) => {
      // A failure here is a broken connection: the first statement that uses it reports that.
      connection.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${MYSQL_ISOLATION}`, () => undefined);
    });
    return pool;
  },
};
