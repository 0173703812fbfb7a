import { randomBytes } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/** Random bytes drawn from the system in blocks: one system call per 256 ids rather than one per id. */
const POOL_SIZE = 16 * 256;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomBlock(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const block = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return block;
}

/**
 * A UUIDv7: time-ordered, so new rows append to the primary key's B-tree in
 * InnoDB instead of splitting random pages, and ids sort by creation time.
 * Within one millisecond a 12-bit counter keeps ids of this process increasing.
 */
export function newId(now: number = Date.now()): string {
  if (now > lastMillis) {
    lastMillis = now;
    sequence = randomBlock(2).readUInt16BE(0) & 0x3ff;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
  }
  const bytes = randomBlock(16);
  bytes.writeUIntBE(lastMillis, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
