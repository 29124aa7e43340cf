import { _, Gen, join, lit, type Code } from '../codegen';
import { child, constant, refuse, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { declareFrame, hasTailCall } from './control';
import { parseSignature, UnsupportedSignature } from '../../runtime/signature';

/**
 * The definition of a lambda's signature (as jsonata's parser rebuilt it from its tokens), if it has one, and
 * whether it still has its validator.
 */
function signatureOf(node: Node): { definition: string; validated: boolean } | undefined {
  if (node.signature === undefined) return undefined;
  const { definition, validate } = node.signature as { definition?: unknown; validate?: unknown };
  if (typeof definition !== 'string') return refuse('signature of unexpected shape');
  // jsonata copies the left side of `??` and `?:` through JSON, which drops the validator: calls of the copy fail
  if (validate === undefined && Object.keys(node.signature as object).length === 1) return { definition, validated: false };
  if (typeof validate !== 'function') return refuse('signature of unexpected shape');
  try {
    parseSignature(definition);
  } catch (error) {
    if (error instanceof UnsupportedSignature) refuse(`signature ${error.message}`);
    throw error;
  }
  return { definition, validated: true };
}

/**
 * `function($a, $b)<sig> { body }`: a JavaScript function closing over the frames it was written in; its context
 * is the context at the point of definition; `this` is the context of the call (jsonata's apply input). Calls
 * count against the depth limit.
 *
 * A lambda with a signature or a tail call is split (see runtime/lambdas): the body becomes a function of its own
 * (`BODY`, no validation, no depth count, returns a TailCall for its last call) and the lambda validates, counts
 * and runs the trampoline around it. In a program that mentions `$eval` it first takes the variables of its caller,
 * where jsonata applies the tail call (see CallSite in runtime/functions).
 */
export function lowerLambda(node: Node, cx: Cx): Code {
  const signature = signatureOf(node);
  const definition = signature?.definition;
  const params = (node.arguments ?? []).map((a) => String(a.value));
  const gen = new Gen();
  const inner = child(cx, { gen, filteredTail: undefined });
  const frame = declareFrame([node.body!], cx.frame, inner, params);
  inner.frame = frame;
  const value = lower(node.body!, inner);
  const fn = cx.scope.name('f', 'lambda');
  const paramNames = params.map((p) => frame.vars.get(p)!.name);
  const head = (name: Code) => (cx.async ? _`const ${name} = async function (${join(paramNames)}) {` : _`const ${name} = function (${join(paramNames)}) {`);
  const body = () => {
    for (const param of params) {
      const reads = frame.vars.get(param)!.reads;
      if (reads) cx.gen.embed(reads.prologue);
    }
    cx.gen.embed(gen);
    cx.gen.add(_`return ${value};`);
  };
  // an error leaving the lambda (not one of its tail call) is placed at its last call, as jsonata's applyInner does
  const error = cx.scope.name('e');
  const left = _`catch (${error}) { throw R.leftLambda(${error}, ${fn}); }`;
  if (definition === undefined && !hasTailCall(node.body)) {
    cx.gen.open(head(fn));
    cx.gen.add(_`E.g.enter();`);
    cx.gen.open(_`try {`);
    body();
    cx.gen.close(_`} ${left} finally { E.g.leave(); }`);
    cx.gen.close(_`};`);
    // what it is, for partial application and tail calls (a function from the bindings is not one)
    cx.gen.add(_`${fn}[R.LAMBDA] = true;`);
    return fn;
  }
  const bodyFn = cx.scope.name('f', 'body');
  cx.gen.open(head(bodyFn));
  body();
  cx.gen.close(_`};`);
  const sig = definition === undefined ? undefined : constant(cx, signature!.validated ? _`R.signature(${lit(definition)})` : _`R.unvalidated(${lit(definition)})`);
  cx.gen.open(head(fn));
  const caller = cx.shared.namesCallSites ? cx.scope.name('v', 'caller') : undefined;
  if (caller !== undefined) cx.gen.add(_`const ${caller} = R.takeCaller(E, ${fn});`);
  cx.gen.add(_`E.g.enter();`);
  cx.gen.open(_`try {`);
  const first = sig === undefined ? _`${bodyFn}.call(this${paramNames.length > 0 ? _`, ${join(paramNames)}` : _``})` : _`${bodyFn}.apply(this, ${sig}.validate(arguments, this, E.g))`;
  const result = cx.scope.name('t', 'result');
  cx.gen.add(_`let ${result};`);
  cx.gen.add(_`try { ${result} = ${cx.async ? _`await ${first}` : first}; } ${left}`);
  const trampolineArgs = caller === undefined ? _`E, ${result}, this` : _`E, ${result}, this, ${caller}`;
  cx.gen.add(_`return ${result} instanceof R.TailCall ? ${cx.async ? _`await R.trampolineA(${trampolineArgs})` : _`R.trampoline(${trampolineArgs})`} : ${result};`);
  cx.gen.close(_`} finally { E.g.leave(); }`);
  cx.gen.close(_`};`);
  cx.gen.add(_`${fn}[R.BODY] = ${bodyFn};`);
  if (sig !== undefined) cx.gen.add(_`${fn}[R.SIGNATURE] = ${sig};`);
  return fn;
}
