/**
 * Rewrites of a jsonata syntax tree, in place, so that the interpreter runs the two constructs it evaluates with
 * internals no option reaches through bounded functions instead: `a & b` becomes `$&(a, b)` (the string limit),
 * `a..b` becomes `$..(a, b)` (counted while the items are made) and an order-by path becomes a call of `$^`
 * (see ./order-by), and lambdas' signatures are checked in polynomial time. The tree of every parsed expression is rewritten
 * once before its first evaluation, and a tree `$eval` parses is rewritten when its evaluation starts. A path whose
 * items carry positional or context bindings (`#`, `@`, `%`) keeps jsonata's own sort, bounded by time only.
 */
import type { Node } from '../compiler/ast';
import { BOX, NO_ITEMS, ORDER_BY } from './order-by';
import { parseSignature, UnsupportedSignature } from '../runtime/signature';

export const CONCAT = '&';
export const RANGE = '..';
const LOWERED = Symbol('lowered');

type Marked = Node & { [LOWERED]?: true };

let sortNames = 0;

export function isLowered(node: unknown): boolean {
  return (node as Marked)[LOWERED] === true;
}

const variable = (name: string, position?: number): Node => ({ type: 'variable', value: name, ...(position === undefined ? {} : { position }) });

/** Rewrite every node under `root` (once; nodes already seen are skipped). */
export function lowerTree(root: unknown): void {
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || value instanceof RegExp) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const node = value as Marked;
    if (node[LOWERED] === true) return;
    node[LOWERED] = true;
    for (const key of Object.keys(node)) visit((node as unknown as Record<string, unknown>)[key]);
    if (node.type === 'binary' && (node.value === '&' || node.value === '..')) lowerOperator(node);
    else if (node.type === 'path') lowerOrderBy(node);
    else if (node.type === 'lambda' && node.signature !== undefined) lowerSignature(node);
    // `x ~> a & b` applies the value of `a & b`: its rewrite, a call, would be taken as `$&(x, a, b)`
    else if (node.type === 'apply' && operatorCalls.has(node.rhs as Node)) node.rhs = { type: 'block', expressions: [node.rhs as Node] };
  };
  visit(root);
}

function replaceWith(node: Marked, replacement: Node): void {
  for (const key of Object.keys(node)) delete (node as unknown as Record<string, unknown>)[key];
  Object.assign(node, replacement);
  node[LOWERED] = true;
}

/**
 * A lambda's signature validated in polynomial time (runtime/signature) instead of by jsonata's backtracking
 * regular expression, which a signature such as `<x?x?x?…n>` makes exponential. A form that validator does not
 * reproduce exactly keeps jsonata's.
 */
function lowerSignature(node: Marked): void {
  const current = node.signature as { definition?: unknown; validate?: unknown };
  if (typeof current.definition !== 'string' || typeof current.validate !== 'function') return;
  try {
    node.signature = parseSignature(current.definition);
  } catch (error) {
    if (!(error instanceof UnsupportedSignature)) throw error;
  }
}

/** The calls operators were rewritten to. */
const operatorCalls = new WeakSet<Node>();

/** `a & b` → `$&(a, b)`, `a..b` → `$..(a, b)`: same evaluation order, errors at the operator with its token. */
function lowerOperator(node: Marked): void {
  const { lhs, rhs, type: _type, value, ...rest } = node;
  replaceWith(node, { ...rest, type: 'function', value: '(', procedure: variable(String(value), node.position), arguments: [lhs as Node, rhs as Node] });
  operatorCalls.add(node);
}

/** Steps whose items carry bindings (`#`, `@`) or ancestry (`%`): jsonata's tuple streams, left as they are. */
function carriesBindings(path: Node): boolean {
  if (path.tuple !== undefined || path.seekingParent !== undefined || mentionsParent(path.steps)) return true;
  return (path.steps ?? []).some((step) => step.tuple !== undefined || step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined ||
    (step.stages ?? []).some((stage) => stage.type !== 'filter'));
}

function mentionsParent(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value) || value instanceof RegExp) return false;
  seen.add(value);
  if ((value as Node).type === 'parent') return true;
  return Object.values(value).some((child) => mentionsParent(child, seen));
}

/** A term as `$^` takes it: null for `$` itself, else `function($^x) { $^x.(term) }` (the item as context). */
function termArgument(expression: Node, position: number | undefined): Node {
  if (expression.type === 'variable' && expression.value === '' && expression.predicate === undefined && expression.stages === undefined && !expression.keepArray) {
    return { type: 'value', value: null };
  }
  const item = '^x';
  const body: Node = { type: 'path', steps: [variable(item), { type: 'block', expressions: [expression] }] };
  // a term kept an array (`a[]`) stays one, as jsonata compares it
  if (expression.keepArray || expression.keepSingletonArray) body.keepSingletonArray = true;
  return { type: 'lambda', arguments: [variable(item)], body, ...(position === undefined ? {} : { position }) };
}

function lowerOrderBy(path: Marked): void {
  const steps = path.steps ?? [];
  const k = steps.findIndex((step) => step.type === 'sort');
  if (k < 1 || carriesBindings(path) || (k === 1 && steps[0]!.consarray)) return;
  const sort = steps[k]! as Node & { terms?: { descending?: boolean; expression: Node }[] };
  const position = sort.position;
  const sorted = `^${sortNames++}`;
  const { steps: _steps, type: _type, ...pathProps } = path;
  const items: Node = { type: 'path', steps: [...steps.slice(0, k), { type: 'function', value: '(', procedure: variable(BOX), arguments: [], ...(position === undefined ? {} : { position }) }] };
  const terms = sort.terms ?? [];
  // position 0 on the call: errors raised inside a term keep their own position (jsonata's apply overwrites it)
  const call: Node = {
    type: 'function', value: '(', position: 0, procedure: variable(ORDER_BY),
    arguments: [items, { type: 'number', value: position ?? 0 }, { type: 'string', value: terms.map((t) => (t.descending ? 'd' : 'a')).join('') }, ...terms.map((t) => termArgument(t.expression, position))],
  };
  const head: Node = { ...variable(sorted, position), ...(sort.stages === undefined ? {} : { stages: sort.stages }) };
  const rest: Marked = { ...pathProps, type: 'path', steps: [head, ...steps.slice(k + 1)] };
  const noItems: Node = { ...pathProps, type: 'path', steps: [{ type: 'unary', value: '[', expressions: [], consarray: true, ...(position === undefined ? {} : { position }) }] };
  replaceWith(path, {
    type: 'block', ...(path.position === undefined ? {} : { position: path.position }),
    expressions: [
      { type: 'bind', value: ':=', lhs: variable(sorted), rhs: call },
      { type: 'condition', condition: { type: 'binary', value: '=', lhs: variable(sorted), rhs: { type: 'string', value: NO_ITEMS } }, then: noItems, else: rest },
    ],
  });
  markAll(path);
  // a second order-by further along the same path
  lowerOrderBy(rest);
}

/** Nodes built here hold only rewritten parts: mark them so nothing is rewritten twice. */
function markAll(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof RegExp) return;
  if (Array.isArray(value)) {
    for (const item of value) markAll(item);
    return;
  }
  const node = value as Marked;
  node[LOWERED] = true;
  for (const key of Object.keys(node)) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !(child as Marked)[LOWERED]) markAll(child);
  }
}
