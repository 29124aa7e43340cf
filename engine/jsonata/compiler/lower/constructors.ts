import { _, join, type Code } from '../codegen';
import { child, refuse, tmp, type Cx } from '../context';
import { isBind, isScope, nodesIn, type Node } from '../ast';
import { lower } from './index';
import { closure } from './closure';

/** `[a, b, …]`: undefined items dropped, nested constructors kept whole, other arrays spliced in one level. */
export function lowerArray(node: Node, cx: Cx): Code {
  const result = cx.scope.name('a', 'array');
  cx.gen.add(_`const ${result} = [];`);
  const items = node.expressions ?? [];
  readBeforeSiblingBinds(items, cx);
  items.forEach((item, i) => {
    const value = concurrent(cx, i < items.length - 1, () => lower(item, cx));
    if (item.type === 'unary' && item.value === '[') cx.gen.add(_`if (${value} !== undefined) ${result}.push(${value});`);
    else cx.gen.add(_`if (${value} !== undefined) { if (Array.isArray(${value})) R.appendItem(${result}, ${value}, E.g); else ${result}.push(${value}); }`);
  });
  if (node.consarray) cx.gen.add(_`R.markCons(${result});`);
  return result;
}

/** Keys the in-place form leaves to jsonata's grouping (errors, or keys a plain object would treat specially). */
const RESERVED = new Set(['_jsonata_lambda', '_jsonata_function', '__proto__']);

/**
 * `{ k: v, … }`. With literal, distinct keys and a context that is not an array (the usual case) the object is
 * built in place, one assignment per key; otherwise jsonata's grouping runs over the context sequence.
 */
export function lowerObject(node: Node, cx: Cx): Code {
  const pairs = node.lhs as Node[][];
  const literalKeys = pairs.every((p) => p[0]!.type === 'string');
  const keys = pairs.map((p) => String(p[0]!.value));
  const distinct = new Set(keys).size === keys.length && !keys.some((k) => RESERVED.has(k));
  const result = cx.scope.name('o', 'object');
  cx.gen.add(_`let ${result};`);
  const inPlace = literalKeys && distinct && !cx.compact;
  // with literal, distinct keys each value is evaluated once (in place, or by the grouping, one group per key);
  // computed keys make a group per distinct key, each evaluating the value, all at once
  if (literalKeys && distinct) readBeforeSiblingBinds(pairs.map((p) => p[1]!), cx);
  else pairs.forEach(refuseFrameBinds);
  if (inPlace) {
    if (!cx.inputNotArray) cx.gen.open(_`if (!Array.isArray(${cx.input})) {`);
    const inner = child(cx, { inputNotArray: true });
    const values = pairs.map((p, i) => concurrent(inner, i < pairs.length - 1, () => lower(p[1]!, inner)));
    cx.gen.add(_`${result} = new R.Obj();`);
    pairs.forEach((p, i) => cx.gen.add(_`if (${values[i]!} !== undefined) ${result}[${String(p[0]!.value)}] = ${values[i]!};`));
    if (cx.inputNotArray) return result;
    cx.gen.mid(_`} else {`);
  }
  const general = child(cx, { compact: true });
  if (inPlace) {
    // every item lands under every key: each value evaluated once on all the items, in the order of the keys of
    // jsonata's groups object (integer-like keys first)
    const order = Object.keys(Object.fromEntries(keys.map((k, i) => [k, i]))).map((k) => keys.indexOf(k));
    const names = join(order.map((i) => _`${keys[i]!}`));
    const values = join(order.map((i) => closure(pairs[i]![1]!, general)));
    cx.gen.add(_`${result} = ${cx.async ? _`(await R.groupLiteralA(${cx.input}, [${names}], [${values}]))` : _`R.groupLiteral(${cx.input}, [${names}], [${values}])`};`);
    cx.gen.close();
    return tmp(cx, result);
  }
  const fns = pairs.map((p) => _`[${closure(p[0]!, general)}, ${closure(p[1]!, general)}]`);
  const list = join(fns);
  const call = cx.async ? _`(await R.groupA(${cx.input}, [${list}], ${node.position ?? 0}))` : _`R.group(${cx.input}, [${list}], ${node.position ?? 0})`;
  cx.gen.add(_`${result} = ${call};`);
  if (inPlace) cx.gen.close();
  return tmp(cx, result);
}

/**
 * jsonata evaluates the items of an array constructor and the values of an object constructor concurrently
 * (Promise.all), so when two of them fail, which error wins depends on its scheduling. An error from any item
 * but the last is therefore handed back to jsonata (re-run) rather than guessed.
 */
function concurrent(cx: Cx, guarded: boolean, emit: () => Code): Code {
  if (!guarded) return emit();
  const slot = cx.scope.name('t');
  const e = cx.scope.name('e');
  cx.gen.add(_`let ${slot};`);
  cx.gen.open(_`try {`);
  const value = emit();
  cx.gen.add(_`${slot} = ${value};`);
  cx.gen.close(_`} catch (${e}) { throw R.concurrentError(${e}); }`);
  return slot;
}

/**
 * The items of an array constructor or the values of an object constructor that bind variables (`{"a": $x := 1,
 * "b": $x}`). jsonata starts them all at once (Promise.all) and a binding completes only after its right side was
 * awaited, so an item that is just `$x` (or binds just `$y := $x`) reads `$x` as it was before the constructor, while
 * any other read races the binding. Those plain reads are made here, before the items; anything else is refused: a
 * binding below an item's top, two items binding one name, or another read of a name a sibling binds.
 */
function readBeforeSiblingBinds(items: Node[], cx: Cx): void {
  const binder = new Map<string, number>();
  items.forEach((item, i) => {
    const binds = nodesIn(item, isBind, isScope);
    if (binds.length === 0) return;
    if (binds.length > 1 || binds[0] !== item) refuse('variable binding inside an array or object constructor');
    const name = String((item.lhs as Node).value);
    if (binder.has(name)) refuse('one variable bound by two items of a constructor');
    binder.set(name, i);
  });
  if (binder.size === 0) return;
  items.forEach((item, i) => {
    // lambdas included: one could be called while the items run
    const reads = nodesIn(item.type === 'bind' ? item.rhs : item, (n) => n.type === 'variable' && binder.has(String(n.value)));
    for (const read of reads) {
      if (binder.get(String(read.value)) === i) continue; // its own binding reads it first, in order
      const plain = read.predicate === undefined && !read.keepArray && read.stages === undefined;
      if (!plain || (read !== item && !(item.type === 'bind' && item.rhs === read))) refuse('a variable read beside the constructor item that binds it');
      cx.shared.readAhead.set(read, lower(read, cx));
    }
  });
}

/** A `$x := …` evaluated concurrently with its siblings would bind in an order jsonata does not define. */
export function refuseFrameBinds(node: unknown): void {
  if (nodesIn(node, isBind, isScope).length > 0) refuse('variable binding inside an array or object constructor');
}
