import { _, Gen, type Code, type Name } from '../codegen';
import { child, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';

/** `(x) => value of node with context x`: grouped object values, and the steps of a path that starts with `[…]`. */
export function closure(node: Node, cx: Cx, after?: (value: Code, inner: Cx) => Code): Code {
  return closureOf(cx, (inner) => {
    const value = lower(node, inner);
    return after ? after(value, inner) : value;
  });
}

/** `(x) => value`, the value made by `body` with x as the context. */
export function closureOf(cx: Cx, body: (inner: Cx, param: Name) => Code): Code {
  const gen = new Gen();
  const param = cx.scope.name('x');
  const inner = child(cx, { gen, input: param, dollar: _`R.dollar(${param})`, inputNotArray: false, reads: undefined });
  const value = body(inner, param);
  gen.add(_`return ${value};`);
  const head = cx.async ? _`async (${param}) => {` : _`(${param}) => {`;
  const fn = cx.scope.name('f');
  cx.gen.open(_`const ${fn} = ${head}`);
  cx.gen.embed(gen);
  cx.gen.close(_`};`);
  return fn;
}
