import { _, Code, Gen, join, lit } from '../codegen';
import { child, refuse, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { declareFrame } from './control';
import { isFree, resolve } from './variable';
import { isBuiltinName, isSyncBuiltin, REFUSED_BUILTINS } from '../../runtime/functions';

/**
 * `$f(a, b)`: the procedure (a variable), then the arguments left to right, then the call. `applyTo` is the left
 * side of `~>`, passed first.
 */
export function lowerFunction(node: Node, cx: Cx, applyTo: Code | undefined, tailPosition?: number): Code {
  const procedure = node.procedure!;
  if (procedure.type !== 'variable') return refuse(`calling a ${procedure.type}`);
  const name = String(procedure.value);
  if (name === '' || name === '$') return refuse('calling $ or $$');
  if (isFree(name, cx)) {
    if (REFUSED_BUILTINS.has(name)) return refuse(`$${name}`);
    cx.shared.freeCalls.add(name);
    if (isBuiltinName(name) && !isSyncBuiltin(name)) cx.shared.usesAsyncBuiltin = true;
  } else {
    cx.shared.freeCalls.add(name); // an unbound frame slot may fall through to a binding of the same name
  }
  for (const arg of node.arguments ?? []) if (arg.type === 'operator' && arg.value === '?') return refuse('partial application');
  const proc = resolve(name, cx);
  const position = tailPosition ?? node.position ?? 0;
  const args: Code[] = [];
  if (applyTo !== undefined) args.push(applyTo);
  for (const arg of node.arguments ?? []) args.push(lower(arg, cx));
  if (tailPosition !== undefined) cx.gen.add(_`R.tailProcedure(${proc});`);
  const from = applyTo !== undefined ? 1 : 0;
  const call = cx.async
    ? _`(await R.callA(E, ${proc}, [${join(args)}], ${cx.input}, ${name}, ${position}, ${from}))`
    : from === 0 && args.length >= 1 && args.length <= 3
      ? _`R.${new Code(`call${args.length}`)}(E, ${proc}, ${join(args)}, ${cx.input}, ${name}, ${position})`
      : _`R.call(E, ${proc}, [${join(args)}], ${cx.input}, ${name}, ${position}, ${from})`;
  return tmp(cx, call);
}

/** `x ~> $f(args)` calls $f with x first; `x ~> $f` applies the function value $f to x. */
export function lowerApply(node: Node, cx: Cx): Code {
  const lhs = lower(node.lhs as Node, cx);
  const rhs = node.rhs!;
  if (rhs.type === 'function') return lowerFunction(rhs, cx, lhs);
  const fn = lower(rhs, cx);
  cx.shared.usesAsyncBuiltin ||= rhs.type !== 'lambda';
  return tmp(cx, cx.async
    ? _`(await R.applyToA(E, ${lhs}, ${fn}, ${node.position ?? 0}))`
    : _`R.applyTo(E, ${lhs}, ${fn}, ${node.position ?? 0})`);
}

/**
 * `function($a, $b) { body }`: a JavaScript function closing over the frames it was written in; its context is
 * the context at the point of definition. Calls count against the depth limit.
 */
export function lowerLambda(node: Node, cx: Cx): Code {
  if (node.signature !== undefined) return refuse('lambda with a signature');
  const params = (node.arguments ?? []).map((a) => String(a.value));
  const gen = new Gen();
  const inner = child(cx, { gen });
  const frame = declareFrame([node.body!], cx.frame, inner, params);
  inner.frame = frame;
  const value = lower(node.body!, inner);
  const fn = cx.scope.name('f');
  const paramNames = params.map((p) => frame.vars.get(p)!.name);
  cx.gen.open(cx.async ? _`const ${fn} = async function (${join(paramNames)}) {` : _`const ${fn} = function (${join(paramNames)}) {`);
  cx.gen.add(_`E.g.enter();`);
  cx.gen.open(_`try {`);
  for (const param of params) {
    const reads = frame.vars.get(param)!.reads;
    if (reads) cx.gen.embed(reads.prologue);
  }
  cx.gen.embed(gen);
  cx.gen.add(_`return ${value};`);
  cx.gen.close(_`} finally { E.g.leave(); }`);
  cx.gen.close(_`};`);
  return fn;
}

/** `/re/flags`: a matcher closure like jsonata's, one per evaluation of the node. */
export function lowerRegex(node: Node, cx: Cx): Code {
  const re = node.value;
  if (!(re instanceof RegExp)) return refuse('regex literal of unexpected shape');
  return tmp(cx, _`R.regex(new RegExp(${lit(re.source)}, ${lit(re.flags)}), ${node.position ?? 0})`);
}
