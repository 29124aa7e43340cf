/**
 * `$eval(text, focus)` called from compiled code: the text is parsed and compiled (once per distinct text, see
 * setTextCompiler) and run with the call's context (or the focus, an array wrapped as jsonata wraps an input
 * array), under the same guard, seeing the variables in scope at the call. Parse errors become D3120, errors of
 * the evaluation D3121, as jsonata's functionEval raises them.
 *
 * jsonata evaluates the text in the environment of the call, so a variable the text binds at its top level is
 * bound in the caller's frame; compiled frames are fixed, so such a text (or one the compiler refuses) is left to
 * jsonata: the evaluation starts again on the interpreter.
 */
import jsonata from 'jsonata';
import { finishMessage, jerr, NeedsAsync, Unsupported } from './errors';
import { builtinObject, call, callA, type Env } from './functions';
import { seq } from './values';

/** A compiled text: both forms, the names it calls, and whether it binds a variable at its top level. */
export interface TextProgram {
  sync(input: unknown, env: Env, raw: boolean): unknown;
  async(input: unknown, env: Env, raw: boolean): Promise<unknown>;
  freeCalls: string[];
  bindsAtTop: boolean;
}

type TextCompiler = (source: string, ast: unknown) => TextProgram | undefined;

let compileText: TextCompiler | undefined;

/** Installed by the expression module (which owns the compiler and `new Function`). */
export function setTextCompiler(compiler: TextCompiler): void {
  compileText = compiler;
}

/** A text compiled, refused (undefined) or not parsed (its syntax error, thrown anew each time as D3120). */
type Compiled = TextProgram | undefined | { syntax: { code: string; position?: unknown; token?: unknown; message: string } };

const programs = new Map<string, Compiled>();
const CACHE_SIZE = 500;

function compile(text: string): Compiled {
  let ast: unknown;
  try {
    ast = jsonata(text).ast();
  } catch (error) {
    finishMessage(error);
    const e = error as { code?: unknown; position?: unknown; token?: unknown; message?: unknown };
    return { syntax: { code: String(e.code), position: e.position, token: e.token, message: String(e.message) } };
  }
  try {
    return compileText?.(text, ast);
  } catch {
    return undefined;
  }
}

function programFor(text: string): TextProgram {
  let program = programs.get(text);
  if (program === undefined && !programs.has(text)) {
    program = compile(text);
    if (programs.size >= CACHE_SIZE) programs.clear();
    programs.set(text, program);
  }
  if (program !== undefined && 'syntax' in program) {
    const error = { ...program.syntax };
    throw jerr('D3120', { value: error.message, error });
  }
  if (program === undefined || program.bindsAtTop) throw new Unsupported('$eval of a text that runs on jsonata');
  return program;
}

/** Whether `proc` is the built-in $eval (not a binding or a variable of that name). */
export function isEval(proc: unknown): boolean {
  return proc !== undefined && proc === builtinObject('eval');
}

function arrange(env: Env, args: unknown[], input: unknown, scope: Record<string, unknown>): { text: string; context: unknown; nested: Env } | undefined {
  const evalFn = builtinObject('eval')!;
  const [text, focus] = evalFn.signature!.validate(args, input) as [unknown, unknown];
  if (text === undefined) return undefined;
  let context = input;
  if (focus !== undefined) {
    context = focus;
    if (Array.isArray(context) && !(context as { sequence?: boolean }).sequence) {
      const wrapped = seq(context) as unknown[] & { outerWrapper?: boolean };
      wrapped.outerWrapper = true;
      context = wrapped;
    }
  }
  const bindings = { ...env.bindings, ...scope };
  const nested: Env = { bindings, root: env.root, timestamp: env.timestamp, g: env.g, registered: env.registered, callsBound: true };
  return { text: text as string, context, nested };
}

function wrapped(error: unknown): unknown {
  if (error instanceof Unsupported || error instanceof NeedsAsync) return error;
  finishMessage(error);
  return jerr('D3121', { value: (error as { message?: unknown } | null)?.message, error });
}

/** `$eval(…)` with the built-in: run the text; anything else named `eval` is called as usual. */
export function evaluateText(env: Env, proc: unknown, args: unknown[], input: unknown, scope: () => Record<string, unknown>, name: string, position: number): unknown {
  if (!isEval(proc)) return call(env, proc, args, input, name, position, 0);
  let arranged: ReturnType<typeof arrange>;
  let program: TextProgram;
  try {
    arranged = arrange(env, args, input, scope());
    if (arranged === undefined) return undefined;
    program = programFor(arranged.text);
  } catch (error) {
    throw locate(error, name, position);
  }
  try {
    return program.sync(arranged.context, arranged.nested, true);
  } catch (error) {
    throw locate(wrapped(error), name, position);
  }
}

export async function evaluateTextA(env: Env, proc: unknown, args: unknown[], input: unknown, scope: () => Record<string, unknown>, name: string, position: number): Promise<unknown> {
  if (!isEval(proc)) return callA(env, proc, args, input, name, position, 0);
  let arranged: ReturnType<typeof arrange>;
  let program: TextProgram;
  try {
    arranged = arrange(env, args, input, scope());
    if (arranged === undefined) return undefined;
    program = programFor(arranged.text);
  } catch (error) {
    throw locate(error, name, position);
  }
  try {
    return await program.async(arranged.context, arranged.nested, true);
  } catch (error) {
    throw locate(wrapped(error), name, position);
  }
}

/**
 * `$eval` passed to a function (`$map(texts, $eval)`): jsonata calls it in the environment of that call, where it
 * was written, with no context of its own (a higher-order function passes null). The built-in, with its signature,
 * running texts with the variables in scope there.
 */
export function evalValue(env: Env, proc: unknown, scope: () => Record<string, unknown>, async: boolean): unknown {
  if (!isEval(proc)) return proc;
  const run = (input: unknown, text: unknown, focus: unknown): unknown => {
    const arranged = arrange(env, focus === undefined ? [text] : [text, focus], input, scope());
    if (arranged === undefined) return undefined;
    const program = programFor(arranged.text);
    try {
      const result = async ? program.async(arranged.context, arranged.nested, true) : program.sync(arranged.context, arranged.nested, true);
      return async ? (result as Promise<unknown>).catch((error: unknown) => {
        throw wrapped(error);
      }) : result;
    } catch (error) {
      throw wrapped(error);
    }
  };
  // two parameters, as jsonata's: a higher-order function passes it the item and its index
  const implementation = function (this: { input?: unknown } | undefined, text: unknown, focus: unknown): unknown {
    return run(this?.input, text, focus);
  };
  return { _jsonata_function: true, implementation, signature: (proc as { signature?: unknown }).signature };
}

/** As jsonata's evaluateFunction: the call's position and name on an error that has none. */
function locate(error: unknown, name: string, position: number): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Unsupported || error instanceof NeedsAsync) return error;
  const e = error as { position?: unknown; token?: unknown };
  e.position = position;
  if (e.token === undefined) e.token = name;
  finishMessage(error);
  return error;
}
