import { _, Gen, type Code } from '../codegen';
import { child, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { RootReads } from '../root-reads';

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
 * A predicate expression, as a loop in place (without a closure per evaluation): each item
 * is the predicate's context; `true` keeps it, `false`/undefined drop it, anything else goes through jsonata's
 * rules (numbers name indexes, other values by truthiness).
 */
function lowerFilter(predicate: Node, input: Code, cx: Cx): Code {
  const kept = tmp(cx, _`R.seq()`);
  const list = tmp(cx, _`Array.isArray(${input}) ? ${input} : R.seq(${input})`);
  const index = cx.scope.name('k');
  const item = cx.scope.name('x');
  const body = new Gen();
  const reads = new RootReads(cx.scope, item);
  const inner = child(cx, { gen: body, input: item, dollar: _`R.dollar(${item})`, inputNotArray: false, reads });
  const verdict = lower(predicate, inner);
  cx.gen.add(_`E.g.tick(${list}.length);`);
  cx.gen.open(_`for (let ${index} = 0; ${index} < ${list}.length; ${index}++) {`);
  cx.gen.add(_`const ${item} = ${list}[${index}];`);
  cx.gen.embed(reads.prologue);
  cx.gen.embed(body);
  cx.gen.add(_`if (${verdict} === true) ${kept}.push(${item}); else if (${verdict} !== false && ${verdict} !== undefined) R.pushKept(${kept}, ${verdict}, ${item}, ${index}, ${list}.length);`);
  cx.gen.close();
  return kept;
}
