import { randomInt } from 'node:crypto';

/**
 * Fresh ids shaped like Meta's, for tests that make their own accounts and
 * customers: an Instagram professional account id (what webhooks carry as
 * `entry[].id`), and a customer's IGSID. Random, so tests never collide.
 */
export const newIgUserId = (): string => `17841${randomInt(10 ** 9, 10 ** 10)}`;
export const newIgsid = (): string => `${randomInt(10 ** 7, 10 ** 8)}${randomInt(10 ** 7, 10 ** 8)}`;
