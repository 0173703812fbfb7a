import type { Server } from 'node:http';
import { constants } from 'node:os';
import { type INestApplication, Logger } from '@nestjs/common';

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Stops accepting connections and resolves once every request in flight has
 * been answered. A kept-alive connection would otherwise hold the server open
 * for its whole idle timeout after its last answer; the shortest timeout
 * closes each one as soon as it is idle.
 */
function stopAcceptingRequests(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.keepAliveTimeout = 1;
    server.close(() => resolve());
  });
}

/**
 * How the server process ends on SIGTERM (Kubernetes, `docker stop`) or
 * SIGINT (Ctrl-C): it stops accepting connections, answers the requests in
 * flight, then runs Nest's shutdown hooks (the outbox dispatcher finishes its
 * sends and releases its claims before the database pool closes) and exits 0.
 * If that takes longer than `timeoutMs` it exits 1 anyway: whatever it still
 * held is released by lease expiry and picked up by another replica. A second
 * signal exits at once, as a shell would report the signal (128 + its number).
 */
export function exitGracefullyOnSignals(app: INestApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(128 + constants.signals[signal]);
    }
    shuttingDown = true;
    const answered = stopAcceptingRequests(app.getHttpServer() as Server);
    logger.log(`${signal} received: finishing requests and sends in flight, then exiting (at most ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    answered
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };

  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
