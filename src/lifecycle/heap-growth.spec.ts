import { boundHeapGrowth } from './heap-growth';

describe('boundHeapGrowth', () => {
  it('bounds the heap’s growth when node was given no growth of its own', () => {
    expect(boundHeapGrowth(['--enable-source-maps'])).toBe(true);
  });

  it('keeps a growth given to node, in either spelling', () => {
    expect(boundHeapGrowth(['--heap-growing-percent=200'])).toBe(false);
    expect(boundHeapGrowth(['--heap_growing_percent=30'])).toBe(false);
  });
});
