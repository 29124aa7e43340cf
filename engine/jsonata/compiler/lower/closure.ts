import { _, Gen, type Code } from '../codegen';
import { child, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';

/** `(x) => value of node with context x`: grouped object values, and the steps of a path that starts with `[…]`. */
export function closure(node: Node, cx: Cx, after?: (value: Code, inner: Cx) => Code): Code {
  const gen = new Gen();
  const param = cx.scope.name('x');
  const inner = child(cx, { gen, input: param, dollar: _`R.dollar(${param})`, inputNotArray: false });
  let value = lower(node, inner);
  if (after) value = after(value, inner);
  gen.add(_`return ${value};`);
  const head = cx.async ? _`async (${param}) => {` : _`(${param}) => {`;
  const fn = cx.scope.name('f');
  cx.gen.open(_`const ${fn} = ${head}`);
  cx.gen.embed(gen);
  cx.gen.close(_`};`);
  return fn;
}
