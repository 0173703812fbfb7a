import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This application's name on the leases it takes (the message outbox, the
 * event deliveries): host (the pod), pid and a random part, so a restarted
 * process never mistakes its predecessor's leases for its own, and two
 * applications in one process (tests) never mistake each other's.
 */
export class LeaseOwner {
  readonly id = `${hostname().slice(0, 40)}#${process.pid}#${randomBytes(4).toString('hex')}`;
}
