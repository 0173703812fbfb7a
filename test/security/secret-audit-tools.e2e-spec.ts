/**
 * The secret audits of the other security suites pass only if they look in
 * the right places: this proves that the search finds a secret whole and in
 * fragments, and that the captured log and responses really hold what the
 * service writes.
 */
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { captureProcessOutput, type ObservedTestApp, startObservedTestApp } from '../support/observed-app';
import { databaseHaystacks, responseHaystacks } from '../support/secret-audit';
import { FRAGMENT_LENGTH, findLeaks, randomSecret } from '../support/secret-scan';

describe('the secret audit', () => {
  const secret = { name: 'the secret', value: randomSecret(40) };

  it('finds a secret whole, and any fragment of 12 characters of it, but not 11', () => {
    const middle = secret.value.slice(14, 14 + FRAGMENT_LENGTH);
    expect(findLeaks([{ where: 'whole', text: `x ${secret.value} y` }], [secret])).toEqual([
      { where: 'whole', secret: 'the secret', found: 'whole', offset: 2 },
    ]);
    expect(findLeaks([{ where: 'part', text: `token=${middle}…` }], [secret])).toEqual([
      { where: 'part', secret: 'the secret', found: 'fragment', offset: 6 },
    ]);
    expect(findLeaks([{ where: 'short', text: middle.slice(1) }], [secret])).toEqual([]);
  });

  describe('on a running service', () => {
    let t: ObservedTestApp;
    let stopCapture: () => void;

    beforeAll(async () => {
      stopCapture = captureProcessOutput();
      t = await startObservedTestApp();
    });

    afterAll(async () => {
      await t?.close();
      stopCapture?.();
    });

    it('sees what the service logs, what it answers, what it stores and what bypasses the logger', async () => {
      new Logger('Leaky').warn(`a log line with ${secret.value.slice(0, 20)}`);
      await request(t.app.getHttpServer())
        .get(`/no-such-route-${secret.value.slice(20)}`)
        .expect(404);
      await t.dataSource.query('UPDATE schema_migrations SET name = ?', [`m-${secret.value.slice(5, 30)}`]);
      process.stderr.write(`written around the logger: ${secret.value.slice(8, 28)}\n`);

      const leaks = findLeaks(
        [
          { where: 'log', text: t.log.text() },
          ...responseHaystacks(t.responses),
          ...(await databaseHaystacks(t.dataSource)),
        ],
        [secret],
      );
      expect(leaks.map((leak) => leak.where)).toEqual([
        'log',
        expect.stringMatching(/^response #\d+ \(GET \/no-such-route-.* → 404\)$/),
        'table schema_migrations',
      ]);
      // The stderr line is in the log too; every leak above is a fragment, never the whole secret.
      expect(t.log.text()).toContain(`written around the logger: ${secret.value.slice(8, 28)}`);
      expect(leaks.every((leak) => leak.found === 'fragment')).toBe(true);
    });
  });
});
