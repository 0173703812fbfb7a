import { findBodyProblem, MAX_BODY_DEPTH } from './json-body-guard';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

describe('findBodyProblem', () => {
  it('accepts well-formed text of every plane, and nesting up to the limit', () => {
    expect(findBodyProblem({ a: 'é 😀 \u200f \u0000', list: [{ b: ['x'] }] })).toBeNull();
    expect(findBodyProblem({ deep: nested(MAX_BODY_DEPTH - 1) })).toBeNull();
  });

  it('names the top-level field that nests too deeply, without overflowing the stack', () => {
    expect(findBodyProblem({ ok: 1, deep: nested(MAX_BODY_DEPTH) })).toEqual({
      field: 'deep',
      message: `deep nests deeper than ${MAX_BODY_DEPTH} levels`,
    });
    expect(findBodyProblem({ deep: nested(100_000) })?.field).toBe('deep');
  });

  it('names the value or key that holds a lone surrogate, wherever it is', () => {
    expect(findBodyProblem({ items: [{ title: 'ok' }, { title: 'a\ud800' }] })?.field).toBe('items.1.title');
    expect(findBodyProblem({ text: '\udc00 low half first' })?.field).toBe('text');
    expect(findBodyProblem({ ['k\udbff']: 'x' })?.field).toBe('k\udbff');
  });

  it('refuses a list where an object is expected', () => {
    expect(findBodyProblem([{ name: 'x' }])?.field).toBe('body');
  });
});
