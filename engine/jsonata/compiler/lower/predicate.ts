import { _, type Code } from '../codegen';
import { tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { closure } from './closure';

/** `[…]` after an expression or a path step: jsonata's evaluateFilter, one per predicate, in order. */
export function lowerPredicates(predicates: Node[], value: Code, cx: Cx): Code {
  let current = value;
  for (const stage of predicates) {
    const expr = stage.expr!;
    if (stage.type !== 'filter') return current; // 'index' stages only appear with #, refused earlier
    if (expr.type === 'number') {
      current = tmp(cx, _`R.index(${current}, ${expr.value as number})`);
    } else {
      const fn = closure(expr, cx);
      current = tmp(cx, cx.async ? _`(await R.filterA(E.g, ${current}, ${fn}))` : _`R.filter(E.g, ${current}, ${fn})`);
    }
  }
  return current;
}
