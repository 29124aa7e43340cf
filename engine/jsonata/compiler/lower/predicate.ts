import { _, type Code } from '../codegen';
import { tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { lowerLoop } from './loop';

/** `[…]` after an expression or a path step: jsonata's evaluateFilter, one per predicate, in order. */
export function lowerPredicates(predicates: Node[], value: Code, cx: Cx): Code {
  let current = value;
  for (const stage of predicates) {
    const expr = stage.expr!;
    if (stage.type !== 'filter') return current; // 'index' stages only appear with #, refused earlier
    current = expr.type === 'number' ? tmp(cx, _`R.index(${current}, ${expr.value as number})`) : lowerFilter(expr, current, cx);
  }
  return current;
}

/**
 * A predicate expression, as a loop in place: each item is the predicate's context; `true` keeps it, `false` and
 * undefined drop it, anything else goes through jsonata's rules (numbers name indexes, other values by truthiness).
 */
function lowerFilter(predicate: Node, input: Code, cx: Cx): Code {
  const kept = tmp(cx, _`R.seq()`);
  const list = tmp(cx, _`Array.isArray(${input}) ? ${input} : R.seq(${input})`);
  lowerLoop(list, cx, (inner) => lower(predicate, inner), (verdict, item, index) =>
    _`if (${verdict} === true) ${kept}.push(${item}); else if (${verdict} !== false && ${verdict} !== undefined) R.pushKept(${kept}, ${verdict}, ${item}, ${index}, ${list}.length);`);
  return kept;
}
