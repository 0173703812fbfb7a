import { CallDeadline } from './call-deadline';

describe('CallDeadline', () => {
  let clock: number;
  /** `ms` pass on the timers, of which the process spends `stalledMs` more stalled. */
  const pass = (ms: number, stalledMs = 0) => {
    clock += ms + stalledMs;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
  });

  afterEach(() => jest.useRealTimers());

  const deadline = () => new CallDeadline(1000, () => clock);

  it('aborts the call when its time runs out while the process runs', () => {
    const call = deadline();
    pass(999);
    expect(call.signal.aborted).toBe(false);
    pass(1);
    expect(call.signal.aborted).toBe(true);
    expect(call.expired).toBe(true);
  });

  it('gives the call as long again as each stall took, however many there were', () => {
    const call = deadline();
    pass(1000, 300);
    pass(300, 200);
    pass(200, 100);
    expect(call.signal.aborted).toBe(false);
    // A deadline that falls due on time, with the process running, ends it.
    pass(100);
    expect(call.signal.aborted).toBe(true);
  });

  it('gives up three timeouts after the call began, stalls or not', () => {
    const call = deadline();
    pass(1000, 500);
    pass(500, 800);
    // 2.8 s in: the last extension only reaches the 3 s mark.
    expect(call.signal.aborted).toBe(false);
    pass(200, 400);
    expect(call.signal.aborted).toBe(true);
  });

  it('gives a first stall its look at the socket even when it outlasted the whole limit', () => {
    const call = deadline();
    pass(1000, 4000);
    expect(call.signal.aborted).toBe(false);
    pass(1000);
    expect(call.signal.aborted).toBe(true);
  });

  it('never aborts a call that ended', () => {
    const call = deadline();
    call.clear();
    pass(5000);
    expect(call.signal.aborted).toBe(false);
    expect(call.expired).toBe(false);
  });
});
