import { type CpuProfile, cpuByPlace, placeOf } from '../../bench/cpu-profile';

describe('placeOf', () => {
  it.each([
    ['query', 'file:///app/node_modules/mysql2/lib/commands/query.js', 'mysql2'],
    ['handle', 'file:///app/node_modules/@nestjs/core/router/router-proxy.js', '@nestjs/core'],
    ['commit', 'file:///app/dist/messaging/intake/intake-writer.js', 'src/messaging'],
    ['parserOnIncoming', 'node:_http_server', 'node:_http_server'],
    ['(garbage collector)', '', '(garbage collector)'],
    ['', '', '(native)'],
  ])('%s in %s is %s', (functionName, url, where) => {
    expect(placeOf(functionName, url)).toBe(where);
  });
});

describe('cpuByPlace', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(idle)', url: '' } },
      { id: 2, callFrame: { functionName: 'query', url: 'file:///app/node_modules/mysql2/lib/query.js' } },
      { id: 3, callFrame: { functionName: 'commit', url: 'file:///app/dist/messaging/intake/intake-writer.js' } },
    ],
    startTime: 0,
    // 1 ms each: idle, mysql2, mysql2, ours, mysql2
    samples: [1, 2, 2, 3, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000],
  };

  it('adds the self time of each place, largest first, leaving idle out', () => {
    expect(cpuByPlace(profile)).toEqual([
      { where: 'mysql2', ms: 3, share: 0.75 },
      { where: 'src/messaging', ms: 1, share: 0.25 },
    ]);
  });

  it('counts only the samples of the window asked for', () => {
    expect(cpuByPlace(profile, 2.5, 4)).toEqual([
      { where: 'mysql2', ms: 1, share: 0.5 },
      { where: 'src/messaging', ms: 1, share: 0.5 },
    ]);
  });
});
