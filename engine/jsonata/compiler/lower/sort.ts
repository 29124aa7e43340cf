import { _, join, type Code } from '../codegen';
import { refuse, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { closure, closureOf } from './closure';
import { lowerPredicates } from './predicate';
import { refuseFrameBinds } from './constructors';

interface SortTerm { descending?: boolean; expression: Node }

/**
 * An order-by step `^(<a, >b)` over `items` (the sequence the path has so far): jsonata's evaluateSortExpression,
 * each term a closure of the item (evaluated at most once per item, see runtime/order-by), then the step's
 * filters. Fewer than two items are handed on as they are, more as a new (plain) array, as jsonata's sort does.
 */
export function lowerSortStep(step: Node, items: Code, cx: Cx): Code {
  const terms = (step as Node & { terms?: SortTerm[] }).terms ?? [];
  if (terms.length === 0) refuse('order-by without terms');
  // a binding in a term would be made once per comparison in jsonata, and its last value depends on the sort
  for (const term of terms) refuseFrameBinds(term.expression);
  if (cx.shared.readable) cx.gen.comment(`order-by ${terms.map((term) => (term.descending === true ? '>' : '<')).join('')} at ${step.position ?? 0}`);
  const fns = terms.map((term) => closure(term.expression, cx));
  const descending = terms.map((term) => (term.descending === true ? _`true` : _`false`));
  const args = _`E.g, ${items}, [${join(fns)}], [${join(descending)}], ${step.position ?? 0}`;
  const sorted = tmp(cx, cx.async ? _`(await R.orderByA(${args}))` : _`R.orderBy(${args})`);
  return step.stages?.length ? lowerPredicates(step.stages, sorted, cx) : sorted;
}

/** The same step as a function of the whole sequence, for jsonata's path algorithm in the runtime. */
export function sortStepFunction(step: Node, cx: Cx): Code {
  return _`{ whole: ${closureOf(cx, (inner, items) => lowerSortStep(step, items, inner))} }`;
}
