import { _, join, type Code } from '../codegen';
import { child, refuse, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { closure } from './closure';

/** `[a, b, …]`: undefined items dropped, nested constructors kept whole, other arrays spliced in one level. */
export function lowerArray(node: Node, cx: Cx): Code {
  const result = cx.scope.name('a', 'array');
  cx.gen.add(_`const ${result} = [];`);
  const items = node.expressions ?? [];
  items.forEach(refuseFrameBinds);
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
  if (inPlace) {
    if (!cx.inputNotArray) cx.gen.open(_`if (!Array.isArray(${cx.input})) {`);
    const inner = child(cx, { inputNotArray: true });
    pairs.forEach((p) => refuseFrameBinds(p[1]!));
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

/** A `$x := …` evaluated concurrently with its siblings would bind in an order jsonata does not define. */
export function refuseFrameBinds(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(refuseFrameBinds);
    return;
  }
  if (typeof node !== 'object' || node === null || node instanceof RegExp) return;
  const n = node as Node;
  if (n.type === 'block' || n.type === 'lambda') return;
  if (n.type === 'bind') refuse('variable binding inside an array or object constructor');
  for (const [key, value] of Object.entries(n)) if (key !== 'position') refuseFrameBinds(value);
}
