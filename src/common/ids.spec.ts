import { ID_PATTERN, newId } from './ids';

describe('newId', () => {
  it('makes UUIDv7 ids that are unique and increase in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(ids.every((id) => ID_PATTERN.test(id) && id[14] === '7')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the creation time in its first 48 bits', () => {
    const at = Date.now() + 60_000;
    expect(parseInt(newId(at).replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});
