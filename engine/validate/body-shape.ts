/**
 * The shape a body mapping builds, as far as it is written literally: objects with their keys (and where each key
 * is written), arrays of such objects, and "unknown" for anything computed. Enough to compare the keys a mapping
 * writes with what a provider's request schema declares, level by level.
 */
type Node = { type?: string; value?: unknown; position?: number; [key: string]: unknown };

export type Shape =
  | { kind: 'object'; keys: Map<string, { offset: number; value: Shape }> }
  | { kind: 'array'; items: Shape }
  | { kind: 'unknown' };

const UNKNOWN: Shape = { kind: 'unknown' };

/** The shape of what an expression evaluates to. `text` is the expression, for key offsets. */
export function shapeOf(ast: unknown, text: string): Shape {
  const node = ast as Node | undefined;
  if (!node || typeof node !== 'object') return UNKNOWN;
  switch (node.type) {
    case 'unary':
      if (node.value === '{') return objectShape(node, text);
      if (node.value === '[') return { kind: 'array', items: union(((node['expressions'] as unknown[]) ?? []).map((e) => shapeOf(e, text))) };
      return UNKNOWN;
    case 'condition':
      return union([shapeOf(node['then'], text), shapeOf(node['else'], text)]);
    case 'block': {
      const expressions = (node['expressions'] as unknown[]) ?? [];
      return shapeOf(expressions[expressions.length - 1], text);
    }
    case 'function':
      // $removeEmpty({…}), $merge([{…}, {…}]): the result has the keys of the objects passed in
      return union(((node['arguments'] as unknown[]) ?? []).map((a) => flatten(shapeOf(a, text))));
    case 'path': {
      const steps = (node['steps'] as Node[]) ?? [];
      const last = steps[steps.length - 1];
      // `emails.{ "value": email }`: one object per item
      return steps.length > 1 && last?.type === 'unary' && last.value === '{' ? { kind: 'array', items: objectShape(last, text) } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

function objectShape(node: Node, text: string): Shape {
  const keys = new Map<string, { offset: number; value: Shape }>();
  for (const pair of (node['lhs'] as unknown[]) ?? []) {
    if (!Array.isArray(pair)) continue;
    const [key, value] = pair as [Node | undefined, unknown];
    if (key?.type === 'string' && typeof key.value === 'string') keys.set(key.value, { offset: keyOffset(key, text), value: shapeOf(value, text) });
  }
  return { kind: 'object', keys };
}

/** Arrays passed to a merging function count as their items. */
function flatten(shape: Shape): Shape {
  return shape.kind === 'array' ? shape.items : shape;
}

/** What several branches may build: objects merge their keys; anything else mixed in is unknown. */
function union(shapes: Shape[]): Shape {
  const known = shapes.filter((s) => s.kind !== 'unknown');
  if (known.length === 0) return UNKNOWN;
  if (known.every((s) => s.kind === 'object')) {
    const keys = new Map<string, { offset: number; value: Shape }>();
    for (const shape of known) for (const [k, v] of (shape as Extract<Shape, { kind: 'object' }>).keys) if (!keys.has(k)) keys.set(k, v);
    return { kind: 'object', keys };
  }
  if (known.every((s) => s.kind === 'array')) return { kind: 'array', items: union(known.map((s) => (s as Extract<Shape, { kind: 'array' }>).items)) };
  return UNKNOWN;
}

/** jsonata records where a string token ends (after its closing quote); the key starts after the opening one. */
function keyOffset(node: Node, text: string): number {
  const end = node.position ?? 0;
  const quote = text[end - 1];
  if (quote !== '"' && quote !== "'") return Math.max(0, end - String(node.value).length);
  const open = text.lastIndexOf(quote, end - 2 - String(node.value).length + 1);
  return open >= 0 ? open + 1 : Math.max(0, end - String(node.value).length - 1);
}
