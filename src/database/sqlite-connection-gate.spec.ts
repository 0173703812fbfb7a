import { SqliteConnectionGate } from './sqlite-connection-gate';

/** A promise with its resolver, to hold a turn open until the test lets it go. */
function latch() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

describe('SqliteConnectionGate', () => {
  it('gives turns in arrival order, and a failed turn does not stop the queue', async () => {
    const gate = new SqliteConnectionGate();
    const order: string[] = [];
    const first = latch();
    const holding = gate.exclusive(async () => {
      await first.closed;
      order.push('transaction');
      throw new Error('rolled back');
    });
    const statement = gate.exclusive(async () => order.push('statement'));
    const second = gate.exclusive(async () => order.push('second transaction'));
    first.open();
    await expect(holding).rejects.toThrow('rolled back');
    await Promise.all([statement, second]);
    expect(order).toEqual(['transaction', 'statement', 'second transaction']);
  });

  it('lets the holder’s own statements through, nested at any depth', async () => {
    const gate = new SqliteConnectionGate();
    const answer = await gate.exclusive(async () => {
      expect(gate.holds()).toBe(true);
      return gate.exclusive(async () => gate.exclusive(async () => 42));
    });
    expect(answer).toBe(42);
    expect(gate.holds()).toBe(false);
  });

  it('makes work that a holder left running wait like any other statement once the turn ended', async () => {
    const gate = new SqliteConnectionGate();
    const order: string[] = [];
    const leftOver = latch();
    let straggler!: Promise<unknown>;
    await gate.exclusive(async () => {
      straggler = leftOver.closed.then(() => gate.exclusive(async () => order.push('left-over statement')));
    });
    const next = latch();
    const nextTurn = gate.exclusive(async () => {
      leftOver.open();
      await next.closed;
      order.push('next transaction');
    });
    await new Promise((resolve) => setImmediate(resolve));
    next.open();
    await Promise.all([nextTurn, straggler]);
    expect(order).toEqual(['next transaction', 'left-over statement']);
  });
});
