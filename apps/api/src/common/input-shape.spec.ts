import 'reflect-metadata';
import { MAX_INPUT_DEPTH, MAX_INPUT_NODES } from '@natter/contracts';
import { inputShapeProblem } from './input-shape';

/** An array nested `levels` deep around `inner`, built without recursion. */
function nested(levels: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('inputShapeProblem', () => {
  it('accepts ordinary payloads, primitives and binary values', () => {
    expect(inputShapeProblem({ contactId: 'a', isTyping: true })).toBeNull();
    expect(inputShapeProblem({ a: { b: { c: [1, 2, 3] } } })).toBeNull();
    expect(inputShapeProblem('text')).toBeNull();
    expect(inputShapeProblem(null)).toBeNull();
    expect(inputShapeProblem(undefined)).toBeNull();
    expect(inputShapeProblem([Buffer.alloc(100_000)])).toBeNull();
  });

  it('accepts exactly the depth limit and refuses one level more', () => {
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH + 1))).toMatch(/nested more than/);
  });

  it('counts objects and arrays alike', () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH + 1; i++) value = i % 2 ? { k: value } : [value];
    expect(inputShapeProblem(value)).toMatch(/nested/);
  });

  it.each([2_500, 6_000, 40_000, 200_000])(
    'refuses %i levels without overflowing the stack',
    (levels) => {
      expect(inputShapeProblem({ contactId: 'x', isTyping: nested(levels) })).toMatch(/nested/);
    },
  );

  it('refuses too many values, wide or spread over several branches', () => {
    expect(inputShapeProblem(new Array(MAX_INPUT_NODES + 1).fill(0))).toMatch(/more than/);
    const spread = Array.from({ length: 40 }, () => new Array(30).fill('x'));
    expect(inputShapeProblem(spread)).toMatch(/more than/);
    expect(inputShapeProblem(new Array(MAX_INPUT_NODES - 2).fill(0))).toBeNull();
  });

  it('honours custom limits', () => {
    expect(inputShapeProblem({ a: { b: 1 } }, { maxDepth: 1, maxNodes: 10 })).toMatch(/nested/);
    expect(inputShapeProblem([1, 2, 3], { maxDepth: 5, maxNodes: 3 })).toMatch(/more than 3/);
  });
});
