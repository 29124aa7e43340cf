import { _, join, lit, type Code, type Name } from '../codegen';
import { child, constant, refuse, tmp, type Cx, type Frame } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { closureOf } from './closure';
import { refuseFrameBinds } from './constructors';
import { lowerLoop } from './loop';

/** A step that starts or continues a tuple stream (it binds the focus, a position or an ancestor). */
export function isTupleStep(step: Node): boolean {
  return step.tuple !== undefined || step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined ||
    (step.stages ?? []).some((stage) => stage.type === 'index');
}

/** Every variable a tuple of this path may carry: focus and position names, ancestor labels (`%`), here or nested. */
function tupleNames(node: unknown, names = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (node === null || typeof node !== 'object' || node instanceof RegExp || seen.has(node)) return names;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) tupleNames(item, names, seen);
    return names;
  }
  const n = node as Node & { slot?: { label?: unknown } };
  if (typeof n.focus === 'string') names.add(n.focus);
  if (typeof n.index === 'string') names.add(n.index);
  const ancestor = n.ancestor as { label?: unknown } | undefined;
  if (typeof ancestor?.label === 'string') names.add(ancestor.label);
  if (n.type === 'index' && typeof n.value === 'string') names.add(n.value);
  for (const [key, value] of Object.entries(n)) if (key !== 'position' && key !== 'signature') tupleNames(value, names, seen);
  return names;
}

/**
 * The context and variables of one tuple (runtime/tuples: slot 0 holds `@`, slot i+1 the variable names[i]): a
 * frame whose slots hold the tuple's variables (unbound when the tuple has none of that name, so outer variables
 * show through, as in jsonata's createFrameFromTuple).
 */
function tupleScope(tuple: Code, names: readonly string[], cx: Cx): Cx {
  const frame: Frame = { parent: cx.frame, vars: new Map() };
  names.forEach((name, i) => {
    const slot = cx.scope.name('v', name.startsWith('!') ? 'parent' : name);
    cx.gen.add(_`const ${slot} = ${tuple}[${i + 1}];`);
    frame.vars.set(name, { name: slot, param: false });
  });
  const context = tmp(cx, _`${tuple}[0]`, 'focus');
  return child(cx, { input: context, dollar: _`R.dollar(${context})`, inputNotArray: false, reads: undefined, frame });
}

/** `(tuple) => value of node` with the tuple's context and variables. */
function tupleClosure(node: Node, names: readonly string[], cx: Cx): Code {
  return closureOf(cx, (inner, tuple) => lower(node, tupleScope(tuple, names, inner)));
}

/** Filters and `#$i` after a tuple step: each filter evaluated per tuple (jsonata's evaluateStages). */
function lowerTupleStages(stages: Node[], stream: Name, names: readonly string[], cx: Cx): void {
  for (const stage of stages) {
    if (stage.type === 'index') {
      cx.gen.add(_`R.indexTuples(${stream}, ${names.indexOf(String(stage.value)) + 1});`);
      continue;
    }
    const predicate = stage.expr!;
    if (predicate.type === 'number') {
      cx.gen.add(_`${stream} = R.tupleAt(${stream}, ${predicate.value as number});`);
      continue;
    }
    const kept = tmp(cx, _`R.tuples(${stream}.names)`);
    const list = tmp(cx, stream);
    lowerLoop(list, cx, (inner) => lower(predicate, tupleScope(inner.input, names, inner)), (verdict, item, index) =>
      _`if (${verdict} === true) ${kept}.push(${item}); else if (${verdict} !== false && ${verdict} !== undefined) R.pushKept(${kept}, ${verdict}, ${item}, ${index}, ${list}.length);`);
    cx.gen.add(_`${stream} = ${kept};`);
  }
}

/**
 * A path with tuple steps (jsonata's evaluatePath once a step carries `tuple`): the steps before the first one run
 * as an ordinary path (`prefix`), then every step runs once per tuple, its results becoming tuples with the
 * variables it binds. The path yields its tuples when an enclosing path reads an ancestor through it
 * (`node.tuple`), else the context items; a grouping takes the tuples.
 */
export function lowerTuplePath(node: Node, steps: Node[], prefix: (count: number) => Code, finish: (value: Code) => Code, cx: Cx): Code {
  // an array constructor first is evaluated whole even when it binds (jsonata then never binds its variable):
  // the tuples start from its items, or from the context when it binds the focus
  const cons = !!steps[0]!.consarray;
  const first = cons ? 1 : steps.findIndex(isTupleStep);
  const begun = cons || first === 0;
  // a variable bound inside a step would live in the tuple's own frame
  for (const step of steps.slice(first)) refuseFrameBinds(step);
  const names = [...tupleNames(steps)].sort();
  const shape = constant(cx, _`[${join(names.map((name) => lit(name)))}]`);
  const slot = (name: unknown) => (typeof name === 'string' ? names.indexOf(name) + 1 : 0);
  const result = cx.scope.name('p', 'path');
  const stream = cx.scope.name('a', 'tuples');
  const done = cx.scope.name('p', 'done');
  const context = () => tmp(cx, _`R.startSequence(${cx.input}, ${steps[0]!.type === 'variable'})`);
  let items: Code;
  if (cons) {
    const made = prefix(1);
    // binding the focus there leaves the context as the sequence the next step runs over
    items = steps[0]!.focus !== undefined ? context() : made;
  } else {
    items = first === 0 ? context() : prefix(first);
  }
  cx.gen.add(_`let ${result} = ${items};`);
  cx.gen.add(_`let ${stream} = ${begun ? _`R.tuples(${shape})` : _`undefined`};`);
  cx.gen.open(_`${done}: {`);
  // a step (or its filters) left no tuple: the path ends there
  const endWhenEmpty = () => cx.gen.add(_`if (${stream}.length === 0) { ${result} = ${node.tuple ? stream : _`R.seq()`}; break ${done}; }`);
  // the steps before the first tuple step gave nothing: the path ends there, no tuple stream begun
  if (!begun) cx.gen.add(_`if (${items} === undefined || ${items}.length === 0) break ${done};`);
  steps.slice(first).forEach((step, k) => {
    if (step.type === 'sort') {
      // jsonata sorts tuples already in a stream with $sort, whose copy of two or more drops the stream's flag: its
      // filters then see each tuple object, not its item and variables. Indexes and `#$i` read the same either way.
      const plainStages = (step.stages ?? []).every((stage) => stage.type === 'index' || stage.expr?.type === 'number');
      if (k > 0 && !plainStages) refuse('a filter after an order-by of a tuple stream');
      const terms = (step as Node & { terms?: { descending?: boolean; expression: Node }[] }).terms ?? [];
      for (const term of terms) refuseFrameBinds(term.expression);
      const descending = join(terms.map((term) => lit(term.descending === true)));
      if (k === 0) {
        // `items^(…)#$i`: the items sorted as ever, then each given its position
        const fns = terms.map((term) => closureOf(cx, (inner) => lower(term.expression, inner)));
        const sorted = tmp(cx, cx.async ? _`(await R.orderByA(E.g, ${items}, [${join(fns)}], [${descending}], ${step.position ?? 0}))` : _`R.orderBy(E.g, ${items}, [${join(fns)}], [${descending}], ${step.position ?? 0})`);
        cx.gen.add(_`${stream} = R.sortedTuples(${sorted}, ${shape}, ${slot(step.index)});`);
      } else {
        const fns = terms.map((term) => tupleClosure(term.expression, names, cx));
        cx.gen.add(_`${stream} = ${cx.async ? _`(await R.orderByA(E.g, ${stream}, [${join(fns)}], [${descending}], ${step.position ?? 0}))` : _`R.orderBy(E.g, ${stream}, [${join(fns)}], [${descending}], ${step.position ?? 0})`};`);
      }
      // filters and `#$i` after the order-by run over the sorted tuples (jsonata's evaluateTupleStep)
      if (step.stages !== undefined) {
        lowerTupleStages(step.stages, stream, names, cx);
        endWhenEmpty();
      }
      return;
    }
    if (k === 0) cx.gen.add(_`${stream} = R.startTuples(${items}, ${shape}, E.g);`);
    const out = tmp(cx, _`R.tuples(${shape})`);
    const input = tmp(cx, stream);
    const focus = slot(step.focus);
    const index = slot(step.index);
    const ancestor = slot((step.ancestor as { label?: string } | undefined)?.label);
    lowerLoop(input, cx, (inner) => lower(step, tupleScope(inner.input, names, inner)), (value, item) =>
      _`R.pushTuples(${out}, ${item}, ${value}, ${focus}, ${index}, ${ancestor}, E.g);`);
    cx.gen.add(_`${stream} = ${out};`);
    if (step.stages !== undefined) lowerTupleStages(step.stages, stream, names, cx);
    endWhenEmpty();
  });
  cx.gen.add(_`${result} = ${node.tuple ? stream : _`R.tupleItems(${stream})`};`);
  cx.gen.close();
  const value = finish(result);
  if (node.group === undefined) return value;
  const group = node.group as { lhs: Node[][]; position?: number };
  for (const pair of group.lhs) refuseFrameBinds(pair);
  const general = child(cx, { compact: true });
  const position = group.position ?? 0;
  // the grouping takes the tuples once the stream began (jsonata's reduced tuples), else the path's sequence
  const grouped = cx.scope.name('o', 'group');
  cx.gen.add(_`let ${grouped};`);
  cx.gen.open(_`if (${stream} === undefined) {`);
  const plain = group.lhs.map((pair) => _`[${closureOf(general, (inner) => lower(pair[0]!, inner))}, ${closureOf(general, (inner) => lower(pair[1]!, inner))}]`);
  cx.gen.add(_`${grouped} = ${cx.async ? _`(await R.groupA(${value}, [${join(plain)}], ${position}))` : _`R.group(${value}, [${join(plain)}], ${position})`};`);
  cx.gen.mid(_`} else {`);
  const reduced = group.lhs.map((pair) => _`[${tupleClosure(pair[0]!, names, general)}, ${tupleClosure(pair[1]!, names, general)}]`);
  cx.gen.add(_`${grouped} = ${cx.async ? _`(await R.groupTuplesA(${stream}, [${join(reduced)}], ${position}))` : _`R.groupTuples(${stream}, [${join(reduced)}], ${position})`};`);
  cx.gen.close();
  cx.shared.collapsed.add(grouped);
  return grouped;
}
