import { MAX_INPUT_DEPTH, MAX_INPUT_NODES } from '@natter/contracts';

export interface InputShapeLimits {
  maxDepth: number;
  maxNodes: number;
}

const DEFAULT_LIMITS: InputShapeLimits = { maxDepth: MAX_INPUT_DEPTH, maxNodes: MAX_INPUT_NODES };

/**
 * Why an untrusted value (a parsed JSON body, a query object, a socket event's arguments) is
 * refused before anything else looks at it, or null when its shape is acceptable.
 *
 * Validation, class-transformer, String() and Socket.IO's encoder all recurse, so a value
 * nested a few thousand levels deep overflows the stack in any of them. This walk keeps its
 * own stack, so it never overflows, and it stops at the first limit crossed: its cost is
 * bounded by the limits, not by the input. Binary values count as one leaf.
 */
export function inputShapeProblem(
  value: unknown,
  limits: InputShapeLimits = DEFAULT_LIMITS,
): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    nodes += 1;
    if (nodes > limits.maxNodes) return `holds more than ${limits.maxNodes} values`;
    if (!isContainer(current)) continue;
    if (depth + 1 > limits.maxDepth) return `is nested more than ${limits.maxDepth} levels deep`;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (nodes + children.length > limits.maxNodes)
      return `holds more than ${limits.maxNodes} values`;
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  return null;
}

function isContainer(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof ArrayBuffer)
  );
}
