import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name on the outbox leases it takes: host (the pod), pid and
 * a random part, so a restarted process never mistakes its predecessor's
 * leases for its own.
 */
export const PROCESS_LEASE_OWNER = `${hostname().slice(0, 40)}#${process.pid}#${randomBytes(4).toString('hex')}`;
