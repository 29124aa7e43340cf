/**
 * Lowering: one module per kind of jsonata AST node. `lower(node, cx)` emits statements into cx.gen and returns
 * an expression (a temporary or a literal) holding what jsonata's evaluate() returns for the node, including the
 * shared epilogue: predicates, grouping and sequence collapse.
 */
import { _, Name, type Code } from '../codegen';
import { child, refuse, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lowerLiteral } from './literal';
import { lowerPath } from './path';
import { lowerVariable, resolve } from './variable';
import { lowerBinary, lowerNegate } from './operators';
import { lowerArray, lowerObject } from './constructors';
import { hasTailCall, lowerBind, lowerBlock, lowerCondition } from './control';
import { lowerApply, lowerFunction, lowerPartial, lowerRegex } from './functions';
import { lowerLambda } from './lambda';
import { lowerPredicates } from './predicate';
import { lowerGroup } from './group';
import { lowerTransform } from './transform';

/** Kinds whose raw result is never a sequence, so the collapse step is a no-op. */
const NEVER_SEQUENCE = new Set(['string', 'number', 'value', 'regex', 'lambda', 'transform']);

/** What a comment says of a node: its kind, what it names, where it ends in the source (jsonata's position). */
function describe(node: Node): string {
  if (node.type === 'path') {
    // its steps: names as written, other steps by their kind; a path has no position of its own, its first step's
    const steps = (node.steps ?? []).map((step) => (step.type === 'name' ? String(step.value) : step.type === 'variable' ? `$${String(step.value)}` : `(${step.type})`));
    const at = node.steps?.[0]?.position;
    return `path ${JSON.stringify(steps.join('.'))}${at === undefined ? '' : ` at ${at}`}`;
  }
  const value = node.type === 'function' || node.type === 'partial' ? node.procedure?.value : node.type === 'regex' ? String(node.value) : node.value;
  const shown = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? ` ${JSON.stringify(value)}` : '';
  return `${node.type}${shown}${node.position === undefined ? '' : ` at ${node.position}`}`;
}

export function lower(node: Node, cx: Cx): Code {
  const read = cx.shared.readAhead.get(node);
  if (read !== undefined) return read;
  if (cx.shared.readable) cx.gen.comment(describe(node));
  const tail = (node.type === 'block' || node.type === 'condition') && hasTailCall(node);
  if (tail && node.group !== undefined) refuse('grouping on a tail call');
  if (tail && ((node.predicate !== undefined && node.predicate.length > 0) || node.keepArray)) return lowerFilteredTail(node, cx);
  let value = lowerKind(node, cx);
  if (tail) return value;
  let mayBeSequence = !NEVER_SEQUENCE.has(node.type) && !(node.type === 'unary' && (node.value === '[' || node.value === '{' || node.value === '-')) &&
    !(node.type === 'binary' && node.value !== '..');
  if (node.predicate !== undefined && node.predicate.length > 0) {
    value = lowerPredicates(node.predicate, value, cx);
    mayBeSequence = true;
  }
  // `expr{key: value}` (a path groups in lowerPath): after the predicates, an object, never collapsed
  if (node.group !== undefined && node.type !== 'path') return lowerGroup(node.group as { lhs: Node[][]; position?: number }, value, cx);
  if (!node.keepArray && (!mayBeSequence || cx.shared.collapsed.has(value))) {
    cx.shared.collapsed.add(value);
    return value;
  }
  if (node.keepArray) return tmp(cx, _`R.clk(${value})`);
  // only a sequence changes when collapsed: test for one in place, call R.cl for it alone
  const held = value instanceof Name ? value : tmp(cx, value);
  const collapsed = tmp(cx, _`Array.isArray(${held}) && ${held}.sequence === true ? R.cl(${held}) : ${held}`);
  cx.shared.collapsed.add(collapsed);
  return collapsed;
}

/**
 * `(… $f(x))[0]` at the end of a lambda: jsonata applies the predicates (and `[]`) to what the block yields, the
 * thunk of its tail call — a function value that the indexes 0 and -1 keep and any other drops, `[]` leaves as it
 * is — or the plain value of a branch without a call. Indexes only; other predicates would read the thunk itself.
 */
function lowerFilteredTail(node: Node, cx: Cx): Code {
  const predicates = node.predicate ?? [];
  if (!predicates.every((p) => p.type === 'filter' && p.expr?.type === 'number')) refuse('a filter other than an index on a tail call');
  const kept = predicates.every((p) => {
    const at = Math.floor(p.expr!.value as number);
    return at === 0 || at === -1;
  });
  const value = lowerKind(node, child(cx, { filteredTail: kept ? 'keep' : 'drop' }));
  const held = value instanceof Name ? value : tmp(cx, value);
  const result = cx.scope.name('t', 'filtered');
  cx.gen.add(_`let ${result} = ${held};`);
  cx.gen.open(_`if (!(${held} instanceof R.TailCall)) {`);
  const filtered = lowerPredicates(predicates, held, cx);
  cx.gen.add(node.keepArray ? _`${result} = R.clk(${filtered});` : _`${result} = Array.isArray(${filtered}) && ${filtered}.sequence === true ? R.cl(${filtered}) : ${filtered};`);
  cx.gen.close();
  return result;
}

function lowerKind(node: Node, cx: Cx): Code {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
      return lowerLiteral(node);
    case 'path':
      return lowerPath(node, cx);
    case 'name':
      return tmp(cx, _`R.lookup(${cx.input}, ${String(node.value)}, E.g)`, String(node.value));
    case 'variable':
      return lowerVariable(node, cx);
    case 'binary':
      return lowerBinary(node, cx);
    case 'unary':
      if (node.value === '-') return lowerNegate(node, cx);
      if (node.value === '[') return lowerArray(node, cx);
      if (node.value === '{') return lowerObject(node, cx);
      return refuse(`unary ${String(node.value)}`);
    case 'condition':
      return lowerCondition(node, cx);
    case 'block':
      return lowerBlock(node, cx);
    case 'bind':
      return lowerBind(node, cx);
    case 'function':
      return lowerFunction(node, cx, undefined);
    case 'apply':
      return lowerApply(node, cx);
    case 'lambda':
      // a tail call, which jsonata wraps in a thunk that its trampoline applies at once: the call itself
      if (node.thunk === true && node.body?.type === 'function') return lowerFunction(node.body, cx, undefined, true);
      return lowerLambda(node, cx);
    case 'partial':
      return lowerPartial(node, cx);
    case 'transform':
      return lowerTransform(node, cx);
    case 'regex':
      return lowerRegex(node, cx);
    case 'wildcard':
      return tmp(cx, _`R.wildcard(${cx.input}, E.g)`);
    case 'descendant':
      return tmp(cx, _`R.descendants(${cx.input}, E.g)`);
    case 'parent':
      // `%`: the ancestor a tuple step of an enclosing path recorded under this label
      return resolve(String((node as Node & { slot: { label: string } }).slot.label), cx);
    default:
      return refuse(`node kind ${node.type}`);
  }
}
