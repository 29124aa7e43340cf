import { _, type Code } from '../codegen';
import { child, refuse, tmp, type Cx, type Frame } from '../context';
import { boundNames, type Node } from '../ast';
import { lower } from './index';
import { RootReads } from '../root-reads';

/** Comparisons and boolean operators: true, false or (comparing missing values) undefined, so `if` reads them as $boolean does. */
export function yieldsBoolean(node: Node): boolean {
  return node.type === 'binary' && node.predicate === undefined && !node.keepArray && ['=', '!=', '<', '<=', '>', '>=', 'in', 'and', 'or'].includes(String(node.value));
}

/** `c ? a : b` (and `??`, `?:`, which jsonata parses into conditions): truthiness is $boolean's. */
export function lowerCondition(node: Node, cx: Cx): Code {
  const cond = lower(node.condition!, cx);
  const result = cx.scope.name('t', 'choice');
  // with a tail call in a branch, the collapse happens per branch (a tail call's value is passed on untouched)
  const perBranch = hasTailCall(node);
  const branch = (b: Node) => {
    const value = lower(b, cx);
    return perBranch && !hasTailCall(b) ? _`R.cl(${value})` : value;
  };
  cx.gen.add(_`let ${result};`);
  if (yieldsBoolean(node.condition!)) cx.gen.open(_`if (${cond}) {`);
  else cx.gen.open(_`if (typeof ${cond} === "string" ? ${cond} !== "" : R.boolean(${cond})) {`);
  cx.gen.add(_`${result} = ${branch(node.then!)};`);
  if (node.else !== undefined) {
    cx.gen.mid(_`} else {`);
    cx.gen.add(_`${result} = ${branch(node.else)};`);
  }
  cx.gen.close();
  return result;
}

/**
 * jsonata turns a call in tail position of a lambda body into a thunk that its trampoline applies; the value of
 * such a call is not collapsed by the enclosing condition or block.
 */
export function hasTailCall(node: Node | undefined): boolean {
  if (node === undefined) return false;
  if (node.type === 'lambda') return node.thunk === true;
  if (node.type === 'condition') return hasTailCall(node.then) || hasTailCall(node.else);
  if (node.type === 'block') return hasTailCall(node.expressions?.[node.expressions.length - 1]);
  return false;
}

/** `( e1; e2; … )`: a new frame; the value of the last expression. */
export function lowerBlock(node: Node, cx: Cx): Code {
  const frame = declareFrame(node.expressions ?? [], cx.frame, cx, []);
  const inner = child(cx, { frame });
  const result = cx.scope.name('t', 'block');
  cx.gen.add(_`let ${result};`);
  cx.gen.open(_`{`);
  for (const expr of node.expressions ?? []) cx.gen.add(_`${result} = ${lower(expr, inner)};`);
  cx.gen.close();
  return result;
}

/**
 * `$x := value`: bound in the innermost frame. The binding's own value is collapsed once more than the bound one
 * (jsonata collapses every evaluate() result, the right side's and the binding's): a sequence of one sequence
 * binds the inner sequence and yields its item.
 */
export function lowerBind(node: Node, cx: Cx): Code {
  const name = String((node.lhs as Node).value);
  const slot = cx.frame.vars.get(name);
  if (slot === undefined) return refuse(`binding of $${name} outside a known frame`);
  const value = lower(node.rhs!, cx);
  cx.gen.add(_`${slot.name} = ${value};`);
  return tmp(cx, value);
}

/**
 * A frame for `nodes`: every `$x := …` reached without entering another block or lambda is declared here,
 * initialised to "unbound" so reads before the binding fall through to outer frames, as in jsonata.
 */
export function declareFrame(nodes: Node[], parent: Frame | undefined, cx: Cx, params: string[]): Frame {
  const frame: Frame = { parent, vars: new Map() };
  for (const p of params) {
    if (frame.vars.has(p)) refuse('repeated parameter name');
    const name = cx.scope.name('p', p);
    frame.vars.set(p, { name, param: true, reads: new RootReads(cx.scope, name) });
  }
  for (const name of new Set(boundNames(nodes))) {
    if (name === '' || name === '$') refuse('binding $ or $$');
    if (frame.vars.has(name)) {
      // a parameter rebound in the body: it stops being a plain parameter read
      const param = frame.vars.get(name)!;
      frame.vars.set(name, { name: param.name, param: true }); // no hoisted reads: its value changes
      continue;
    }
    const slot = cx.scope.name('v', name);
    frame.vars.set(name, { name: slot, param: false });
    cx.gen.add(_`let ${slot} = R.UNBOUND;`);
  }
  return frame;
}
