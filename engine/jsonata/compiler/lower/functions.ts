import { _, Code, join, lit } from '../codegen';
import { constant, refuse, tmp, type Cx, type Frame } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { isFree, resolve, resolveLater } from './variable';
import { isBuiltinName, isSyncBuiltin } from '../../runtime/functions';

/** A procedure written as a plain `$name` (no predicate, no `[]`). */
function plainVariable(node: Node): boolean {
  return node.type === 'variable' && node.predicate === undefined && !node.keepArray && node.stages === undefined;
}

/** The name of a call's procedure: a path's first step, else the procedure node's value (when text). */
export function procedureName(procedure: Node): string | undefined {
  const token = procedureToken(procedure);
  return typeof token === 'string' ? token : undefined;
}

/** What jsonata puts in a call's errors as `token`: that name, or the literal called (`2()` says 2). */
function procedureToken(procedure: Node): string | number | boolean | null | undefined {
  const value = procedure.type === 'path' ? procedure.steps?.[0]?.value : procedure.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : undefined;
}

/** procedureToken as code: a regex literal called (`/a/("x")`) is its own token, the RegExp jsonata parsed. */
function tokenCode(procedure: Node, cx: Cx): Code {
  const re = procedure.type === 'regex' ? procedure.value : undefined;
  return re instanceof RegExp ? constant(cx, _`new RegExp(${lit(re.source)}, ${lit(re.flags)})`) : lit(procedureToken(procedure));
}

/** Record a called free name (bindings may replace it; jsonata's asynchronous built-ins force the async form). */
function noteCalled(name: string, cx: Cx): void {
  if (isFree(name, cx) && isBuiltinName(name) && !isSyncBuiltin(name)) cx.shared.usesAsyncBuiltin = true;
  cx.shared.freeCalls.add(name); // an unbound frame slot may fall through to a binding of the same name
}

/**
 * In a program that mentions `$eval`: the variables visible where a call is made, read when `$eval` runs (see
 * CallerVars in runtime/functions); otherwise nothing, and the call is made as before.
 */
function callerVars(cx: Cx): Code | undefined {
  if (!cx.shared.namesCallSites) return undefined;
  // computed keys: a variable named `$__proto__` is an own property, never the object's prototype
  const vars = visibleNames(cx).map((name) => _`[${lit(name)}]: ${resolveLater(name, cx)}`);
  return _`() => ({ ...E.bindings${vars.length > 0 ? _`, ${join(vars)}` : _``} })`;
}

/** `, vars` after a runtime call's arguments, when there are any. */
function withVars(vars: Code | undefined): Code {
  return vars === undefined ? _`` : _`, ${vars}`;
}

/**
 * The procedure of a call or partial application, evaluated as jsonata evaluates it. A procedure that is a bare
 * name (`uppercase(x)`) also yields what that name means as a variable: jsonata reports the forgotten `$` (T1005,
 * T1007) when the path gives nothing but the variable is set.
 */
export function lowerProcedure(procedure: Node, cx: Cx): { proc: Code; name: string | undefined; named?: Code } {
  if (plainVariable(procedure) && procedure.value !== '') {
    const name = String(procedure.value);
    noteCalled(name, cx);
    return { proc: resolve(name, cx), name };
  }
  const proc = lower(procedure, cx);
  const name = procedureName(procedure);
  const first = procedure.steps?.[0]?.type;
  if (procedure.type === 'path' && name !== undefined && name !== '' && (first === 'name' || first === 'variable')) return { proc, name, named: resolve(name, cx) };
  return { proc, name };
}

/**
 * `$f(a, b)`: the procedure, then the arguments left to right, then the call. `applyTo` is the left side of `~>`,
 * passed first. `tail`: the call ends a lambda's body (jsonata's thunk, see lowerTailCall).
 */
export function lowerFunction(node: Node, cx: Cx, applyTo: Code | undefined, tail = false): Code {
  if (tail) return lowerTailCall(node, cx);
  const procedure = node.procedure!;
  const { proc, name, named } = lowerProcedure(procedure, cx);
  const position = node.position ?? 0;
  const token = tokenCode(procedure, cx);
  if (named !== undefined) cx.gen.add(_`if (${proc} === undefined && ${named}) throw R.jerr("T1005", { position: ${position}, token: ${name} });`);
  const args: Code[] = [];
  if (applyTo !== undefined) args.push(applyTo);
  for (const arg of node.arguments ?? []) args.push(lower(arg, cx));
  const input = cx.input;
  const from = applyTo !== undefined ? 1 : 0;
  const vars = withVars(callerVars(cx));
  const call = cx.async
    ? _`(await R.callA(E, ${proc}, [${join(args)}], ${input}, ${token}, ${position}, ${from}${vars}))`
    : from === 0 && args.length >= 1 && args.length <= 3
      ? _`R.${new Code(`call${args.length}`)}(E, ${proc}, ${join(args)}, ${input}, ${token}, ${position}${vars})`
      : _`R.call(E, ${proc}, [${join(args)}], ${input}, ${token}, ${position}, ${from}${vars})`;
  return tmp(cx, call, name);
}

/**
 * A call ending a lambda's body (jsonata's thunk). jsonata evaluates its procedure and arguments in its trampoline,
 * after the lambda returned, so their errors are marked as the trampoline's (the lambda does not place them). A
 * lambda with a body is then handed to the trampoline of the lambda being run (see runtime/lambdas); anything else
 * is called at once with that lambda's apply input, or by that trampoline too in a program that mentions `$eval`
 * (it knows the variables of the caller) or when the call's thunk is filtered.
 */
function lowerTailCall(node: Node, cx: Cx): Code {
  if (cx.filteredTail === 'drop') return lit(undefined);
  const procedure = node.procedure!;
  // jsonata's trampoline names the procedure only when it is a variable, and places it there
  const position = procedure.position ?? 0;
  const token = procedure.type === 'variable' ? procedureToken(procedure) : undefined;
  const callee = cx.scope.name('t', 'callee');
  const args = cx.scope.name('t', 'args');
  const error = cx.scope.name('e');
  cx.gen.add(_`let ${callee}, ${args};`);
  cx.gen.open(_`try {`);
  const { proc } = lowerProcedure(procedure, cx);
  cx.gen.add(_`R.tailProcedure(${proc}, ${procedure.type === 'variable'});`);
  const values = (node.arguments ?? []).map((arg) => lower(arg, cx));
  cx.gen.add(_`${callee} = ${proc};`);
  cx.gen.add(_`${args} = [${join(values)}];`);
  cx.gen.close(_`} catch (${error}) { throw R.fromTailCall(${error}); }`);
  const deferred = _`new R.TailCall(${callee}, ${args}, ${token}, ${position})`;
  if (cx.shared.namesCallSites || cx.filteredTail === 'keep') return tmp(cx, deferred);
  const now = cx.async ? _`(await R.tailCallNowA(E, ${callee}, ${args}, this, ${token}, ${position}))` : _`R.tailCallNow(E, ${callee}, ${args}, this, ${token}, ${position})`;
  return tmp(cx, _`typeof ${callee} === "function" && ${callee}[R.BODY] !== undefined ? ${deferred} : ${now}`);
}

/** Every variable in scope here, innermost first: what a text run by `$eval` can read. */
function visibleNames(cx: Cx): string[] {
  const names = new Set<string>();
  for (let f: Frame | undefined = cx.frame; f !== undefined; f = f.parent) for (const name of f.vars.keys()) names.add(name);
  return [...names];
}

/** `f(a, ?, c)`: arguments first (`?` kept as a hole), then the procedure (jsonata's order), then the binding. */
export function lowerPartial(node: Node, cx: Cx): Code {
  const args = (node.arguments ?? []).map((arg) => (arg.type === 'operator' && arg.value === '?' ? new Code('R.HOLE') : lower(arg, cx)));
  const procedure = node.procedure!;
  let proc: Code;
  let named: Code | undefined;
  const name = procedureName(procedure);
  if (plainVariable(procedure) && procedure.value !== '') {
    if (isFree(name!, cx) && isBuiltinName(name!) && !isSyncBuiltin(name!)) cx.shared.usesAsyncBuiltin = true;
    proc = resolve(name!, cx);
  } else {
    ({ proc, named } = lowerProcedure(procedure, cx));
  }
  return tmp(cx, _`R.partial(E, ${proc}, [${join(args)}], ${cx.async}, ${procedureToken(procedure)}, ${node.position ?? 0}, ${named ?? lit(undefined)}${withVars(callerVars(cx))})`);
}

/** `x ~> $f(args)` calls $f with x first; `x ~> f` applies the function value f to x (composes two functions). */
export function lowerApply(node: Node, cx: Cx): Code {
  const lhs = lower(node.lhs as Node, cx);
  const rhs = node.rhs!;
  if (rhs.type === 'function') return lowerFunction(rhs, cx, lhs);
  const fn = lower(rhs, cx);
  // a function value whose form is not known here may be one of jsonata's asynchronous built-ins
  const known = rhs.type === 'lambda' || rhs.type === 'transform' || rhs.type === 'partial' ||
    (plainVariable(rhs) && isFree(String(rhs.value), cx) && isSyncBuiltin(String(rhs.value)));
  cx.shared.usesAsyncBuiltin ||= !known;
  const vars = withVars(callerVars(cx));
  return tmp(cx, cx.async
    ? _`(await R.applyToA(E, ${lhs}, ${fn}, ${node.position ?? 0}${vars}))`
    : _`R.applyTo(E, ${lhs}, ${fn}, ${node.position ?? 0}${vars})`);
}

/**
 * `/re/flags`: a matcher closure like jsonata's, one per evaluation of the node. jsonata copies the left side of
 * `??` and `?:` through JSON, leaving `{}` where the RegExp was; its regex engine reads that as the text
 * "[object Object]" without flags (see runtime/regex), and so does the compiled code.
 */
export function lowerRegex(node: Node, cx: Cx): Code {
  const re = node.value;
  if (re instanceof RegExp) return tmp(cx, _`R.regex(new RegExp(${lit(re.source)}, ${lit(re.flags)}), ${node.position ?? 0})`);
  if (isEmptyObject(re)) return tmp(cx, _`R.regex(new RegExp(${lit(String(re))}, ""), ${node.position ?? 0})`);
  return refuse('regex literal of unexpected shape');
}

/** A plain object without keys: what JSON makes of a RegExp. */
function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0;
}
