import { _, join, lit, type Code } from '../codegen';
import { child, refuse, tmp, type Cx, type Frame } from '../context';
import type { Node } from '../ast';
import { closure } from './closure';
import { lowerVariable } from './variable';
import { lowerPredicates } from './predicate';
import { lower } from './index';
import type { RootReads } from '../root-reads';
import { lowerLoop } from './loop';
import { lowerSortStep, sortStepFunction } from './sort';
import { lowerGroup } from './group';
import { isTupleStep, lowerTuplePath } from './tuples';

function plainName(step: Node): boolean {
  return step.type === 'name' && step.stages === undefined && step.predicate === undefined && !step.keepArray && step.group === undefined;
}

/**
 * A location path. Names read from a single plain object (the common case) become direct property reads;
 * anything else (arrays met on the way, predicates, other step kinds) runs jsonata's path algorithm.
 */
export function lowerPath(node: Node, cx: Cx): Code {
  const steps = node.steps ?? [];
  if (steps.length === 0) return refuse('empty path');
  for (const step of steps) for (const stage of step.stages ?? []) if (stage.type !== 'filter' && stage.type !== 'index') refuse(`stage ${stage.type}`);
  const firstIsVariable = steps[0]!.type === 'variable';
  const firstCons = !!steps[0]!.consarray;
  const general = () => generalPath(node, steps, firstIsVariable, firstCons, cx);
  if (steps.some(isTupleStep)) {
    // the steps before the first tuple step, as a path of their own (its sequence, uncollapsed)
    // (not its last step there: an array its last step yields alone is flattened as any other)
    const prefix = (count: number) => {
      const value = generalPath({ type: 'path', steps: steps.slice(0, count) }, steps.slice(0, count), firstIsVariable, firstCons, cx);
      return firstCons && count === 1 ? value : tmp(cx, _`${value} === undefined || R.isSeq(${value}) ? ${value} : R.stepResult([${value}], false, E.g)`);
    };
    return lowerTuplePath(node, steps, prefix, (value) => tmp(cx, _`R.finishPath(${value}, ${!!node.keepSingletonArray})`), cx);
  }
  // `path{key: value}`: the grouping takes the path's sequence as it is, before any collapse
  if (node.group !== undefined) return lowerGroup(node.group as { lhs: Node[][]; position?: number }, general(), cx);
  // a first step that yields one value of its own: a variable, or, on a context item known not to be an array, a
  // call or a name with filters (`phones[type = "mobile"][0]`); jsonata evaluates a first step once per context item
  const first = steps[0]!;
  const simpleFirst = first.predicate === undefined && !first.keepArray && first.group === undefined;
  const plainFirst = simpleFirst && first.stages === undefined;
  const filteredFirst = simpleFirst && first.type === 'name' && (first.stages?.length ?? 0) > 0 && cx.inputNotArray && !firstCons;
  const valueFirst = (plainFirst && (firstIsVariable || (first.type === 'function' && cx.inputNotArray && !firstCons))) || filteredFirst;
  const rest = valueFirst ? steps.slice(1) : steps;
  const fast = !cx.compact && !node.keepSingletonArray && !firstCons && rest.length > 0 && rest.every(plainName) && (valueFirst || !firstIsVariable);
  if (!fast) return general();

  const start = !valueFirst ? cx.input
    : firstIsVariable ? lowerVariable(first, cx)
    : filteredFirst ? lowerPredicates(first.stages!, lower(first, cx), cx)
    : lower(first, cx);
  const keys = rest.map((step) => String(step.value));
  const names = _`[${join(keys.map((key) => lit(key)))}]`;
  const slow = cx.async
    ? _`(await R.namesPathA(E.g, ${cx.input}, ${names}, ${valueFirst}, ${start}))`
    : _`R.namesPath(E.g, ${cx.input}, ${names}, ${valueFirst}, ${start})`;
  const c = cx.scope.name('c', keys[keys.length - 1]);
  const reads = firstIsVariable ? paramReads(String(first.value), cx) : cx.reads !== undefined && start === cx.reads.root ? cx.reads : undefined;
  if (reads !== undefined) {
    // read once where the value is bound: the evaluation's prologue, a loop's body, a lambda's body
    cx.gen.add(_`let ${c} = ${reads.value(keys)};`);
  } else {
    // single plain objects all the way: one own-property read per name, in place
    cx.gen.add(_`let ${c} = ${start};`);
    // filters yield a sequence: one item is read like a value, none is nothing (jsonata's step flattening)
    if (filteredFirst) cx.gen.add(_`if (Array.isArray(${c}) && ${c}.sequence === true && ${c}.length <= 1 && !Array.isArray(${c}[0])) ${c} = ${c}[0];`);
    if (valueFirst) cx.gen.add(_`if (!Array.isArray(${c}) && !R.isPlain(${c})) ${c} = undefined;`);
    for (const key of keys) {
      cx.gen.add(_`if (${c} !== undefined && ${c} !== R.SLOW) ${c} = Array.isArray(${c}) ? R.SLOW : R.isPlain(${c}) ? (R.hop.call(${c}, ${key}) ? ${c}[${key}] : undefined) : undefined;`);
    }
  }
  // anything else (an array on the way, a sequence at the end) re-runs the path with jsonata's algorithm
  if (node.keepArray) {
    cx.gen.add(_`if (${c} === R.SLOW || (Array.isArray(${c}) && ${c}.sequence === true)) ${c} = ${slow};`);
    return c;
  }
  // only the slow side can yield a sequence: collapse it there, and tell lower() the value needs no more
  cx.gen.add(_`if (${c} === R.SLOW || (Array.isArray(${c}) && ${c}.sequence === true)) ${c} = R.cl(${slow});`);
  cx.shared.collapsed.add(c);
  return c;
}

/** The hoisted reads of a lambda parameter the body never rebinds, when `name` resolves to one. */
function paramReads(name: string, cx: Cx): RootReads | undefined {
  for (let frame: Frame | undefined = cx.frame; frame !== undefined; frame = frame.parent) {
    const found = frame.vars.get(name);
    if (found !== undefined) return found.param ? found.reads : undefined;
  }
  return undefined;
}

/**
 * jsonata's path algorithm, in place: each step runs over the items of the sequence before it, as a loop whose
 * body is the step (and its filters) with the item as context; an empty sequence ends the path.
 */
function generalPath(node: Node, steps: Node[], firstIsVariable: boolean, firstCons: boolean, cx: Cx): Code {
  if (firstCons) {
    // an array constructor first: jsonata hands it the whole input sequence at once
    const fns = steps.map((step) => (step.type === 'sort' ? sortStepFunction(step, cx)
      : closure(step, cx, step.stages?.length ? (value, inner) => lowerPredicates(step.stages!, value, inner) : undefined)));
    const args = _`E.g, ${cx.input}, [${join(fns)}], ${firstIsVariable}, ${firstCons}, ${!!node.keepSingletonArray}`;
    return tmp(cx, cx.async ? _`(await R.pathA(${args}))` : _`R.path(${args})`);
  }
  const items = cx.scope.name('a', 'items');
  const result = cx.scope.name('p', 'path');
  const done = cx.scope.name('p', 'done');
  // a first step that runs on one item (a variable, or a context known not to be an array) runs without a loop,
  // and a next step goes over its value's items directly
  const single = firstIsVariable || cx.inputNotArray;
  if (!single) cx.gen.add(_`let ${items} = R.startSequence(${cx.input}, ${firstIsVariable});`);
  else if (steps.length > 1) cx.gen.add(_`let ${items};`);
  cx.gen.add(_`let ${result};`);
  cx.gen.open(_`${done}: {`);
  if (single) {
    const first = steps[0]!;
    const inner = child(cx, { dollar: _`R.dollar(${cx.input})` });
    let value = lower(first, inner);
    if (first.stages?.length) value = lowerPredicates(first.stages, value, inner);
    cx.gen.add(_`E.g.tick(1);`);
    if (steps.length === 1) {
      cx.gen.add(_`${result} = ${value} === undefined ? R.seq() : R.stepResult([${value}], true, E.g);`);
    } else if (steps[1]!.type === 'sort') {
      // the sort hands on a lone item's sequence as it is: it must be the new sequence jsonata's step makes
      cx.gen.add(_`${items} = ${value} === undefined ? R.seq() : R.stepResult([${value}], false, E.g);`);
      cx.gen.add(_`if (${items}.length === 0) { ${result} = R.seq(); break ${done}; }`);
    } else {
      cx.gen.add(_`${items} = ${value} === undefined ? R.seq() : Array.isArray(${value}) && !${value}.cons ? ${value} : R.seq(${value});`);
      cx.gen.add(_`if (${items}.length === 0) { ${result} = R.seq(); break ${done}; }`);
    }
  }
  steps.forEach((step, i) => {
    if (single && i === 0) return;
    const last = i === steps.length - 1;
    if (step.type === 'sort') {
      cx.gen.add(_`${result} = ${lowerSortStep(step, items, cx)};`);
      if (!last) cx.gen.add(_`if (${result}.length === 0) break ${done};`);
      if (!last) cx.gen.add(_`${items} = ${result};`);
      return;
    }
    const collected = tmp(cx, _`[]`);
    const stepValue = (inner: Cx) => {
      const value = lower(step, inner);
      return step.stages?.length ? lowerPredicates(step.stages, value, inner) : value;
    };
    lowerLoop(items, cx, stepValue, (value) => _`if (${value} !== undefined) ${collected}.push(${value});`);
    cx.gen.add(_`${result} = R.stepResult(${collected}, ${last}, E.g);`);
    if (!last) cx.gen.add(_`if (${result}.length === 0) break ${done};`);
    if (!last) cx.gen.add(_`${items} = ${result};`);
  });
  cx.gen.close();
  return tmp(cx, _`R.finishPath(${result}, ${!!node.keepSingletonArray})`);
}
