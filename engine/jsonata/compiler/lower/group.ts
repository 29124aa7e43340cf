import { _, join, type Code } from '../codegen';
import { tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { closure } from './closure';
import { refuseFrameBinds } from './constructors';

/**
 * jsonata's grouping `…{key: value}` after a path or any expression (evaluateGroupExpression): keys evaluated per
 * item, items appended per key, each value evaluated with its key's items as context (runtime/path's `group`).
 */
export function lowerGroup(group: { lhs: Node[][]; position?: number }, value: Code, cx: Cx): Code {
  // a binding in a key or a value would be made once per item, concurrently in jsonata
  for (const pair of group.lhs) refuseFrameBinds(pair);
  const pairs = group.lhs.map((pair) => _`[${closure(pair[0]!, cx)}, ${closure(pair[1]!, cx)}]`);
  const call = cx.async ? _`(await R.groupA(${value}, [${join(pairs)}], ${group.position ?? 0}))` : _`R.group(${value}, [${join(pairs)}], ${group.position ?? 0})`;
  const result = tmp(cx, call);
  cx.shared.collapsed.add(result);
  return result;
}
