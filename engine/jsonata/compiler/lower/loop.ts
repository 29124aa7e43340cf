import { _, Gen, type Code, type Name } from '../codegen';
import { child, type Cx } from '../context';
import { RootReads } from '../root-reads';

/**
 * A loop in place over the items of `list` (an array): `body` is lowered with the item as context, its paths from
 * the item read once at the top of each turn; `use` says what to do with the body's value. Guard ticks for every
 * item (asynchronous code may pause between items).
 * Path steps and predicates run this way instead of as a closure per evaluation.
 */
export function lowerLoop(list: Code, cx: Cx, body: (inner: Cx) => Code, use: (value: Code, item: Name, index: Name) => Code): void {
  const index = cx.scope.name('k', 'index');
  const item = cx.scope.name('x', 'item');
  const gen = new Gen();
  const reads = new RootReads(cx.scope, item);
  const value = body(child(cx, { gen, input: item, dollar: _`R.dollar(${item})`, inputNotArray: false, reads }));
  cx.gen.add(_`E.g.tick(${list}.length);`);
  cx.gen.open(_`for (let ${index} = 0; ${index} < ${list}.length; ${index}++) {`);
  // asynchronous code lets other work run between items once the guard says a pause is due
  if (cx.async) cx.gen.add(_`if (E.g.due) await R.pause(E.g);`);
  cx.gen.add(_`const ${item} = ${list}[${index}];`);
  cx.gen.embed(reads.prologue);
  cx.gen.embed(gen);
  cx.gen.add(use(value, item, index));
  cx.gen.close();
}
