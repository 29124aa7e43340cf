import { _, join, lit, type Code } from '../codegen';
import { tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { closure } from './closure';
import { resolveLater } from './variable';

/**
 * `| pattern | update, delete |`: a function value (runtime/transform). Its parts are closures of the match (the
 * clone, for the pattern); `$clone` is looked up where the transform was written, when it runs.
 */
export function lowerTransform(node: Node, cx: Cx): Code {
  const pattern = node.pattern as Node;
  const update = node.update as Node;
  const remove = node.delete as Node | undefined;
  // jsonata evaluates the parts in the environment where the transform is written: a binding there lands in that
  // frame and outlives the call, as the closures' assignments to its slots do
  const clone = _`() => ${resolveLater('clone', cx)}`;
  const fields = [
    _`position: ${node.position ?? 0}`,
    _`updatePosition: ${lit(update.position)}`,
    _`deletePosition: ${lit(remove?.position)}`,
    _`pattern: ${closure(pattern, cx)}`,
    _`update: ${closure(update, cx)}`,
    _`delete: ${remove === undefined ? lit(undefined) : closure(remove, cx)}`,
  ];
  return tmp(cx, _`R.${cx.async ? _`transformA` : _`transform`}(E, ${clone}, { ${join(fields)} })`);
}
