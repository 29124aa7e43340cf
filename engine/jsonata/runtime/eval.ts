/**
 * The built-in `$eval(text, focus)` as compiled code runs it: the text is parsed and compiled (once per distinct
 * text, see setTextCompiler) and run with the call's context (or the focus, an array wrapped as jsonata wraps an
 * input array), under the same guard, seeing the variables of the call site that invoked it. Parse errors become
 * D3120, errors of the evaluation D3121, as jsonata's functionEval raises them.
 *
 * Which call site that is follows jsonata: where `$eval` is called, except that a call in tail position of a lambda
 * is applied by the trampoline of the call that ran the lambda, so `function($v) { $eval("$v") }(1)` does not see
 * `$v` (see CallerVars in ./functions and the trampoline in ./lambdas).
 *
 * jsonata evaluates the text in that environment itself, so a variable the text binds at its top level is bound in
 * the caller's frame; compiled frames are fixed, so such a text (or one the compiler refuses) is left to jsonata:
 * the evaluation starts again on the interpreter.
 */
import jsonata from 'jsonata';
import { finishMessage, jerr, NeedsAsync, Unsupported } from './errors';
import type { CallerVars, Env } from './functions';
import { seq } from './values';
import { evalDetail } from './bounded-builtins';

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
    throw jerr('D3120', { value: evalDetail(error.message), error });
  }
  if (program === undefined || program.bindsAtTop) throw new Unsupported('$eval of a text that runs on jsonata');
  return program;
}

function wrapped(error: unknown): unknown {
  if (error instanceof Unsupported || error instanceof NeedsAsync) return error;
  finishMessage(error);
  return jerr('D3121', { value: evalDetail((error as { message?: unknown } | null)?.message), error });
}

/**
 * `$eval` with its arguments validated: `input` is what jsonata gives it as `this.input` (the call's context;
 * nothing when a higher-order function or a partial application calls it), `vars` the variables of the call
 * site. Without them (a call the compiled code cannot place) the evaluation is left to jsonata.
 */
export function runText(env: Env, args: unknown[], input: unknown, vars: CallerVars | undefined, async: boolean): unknown {
  const [text, focus] = args;
  if (text === undefined) return undefined;
  if (vars === undefined) throw new Unsupported('$eval where the variables of its caller are unknown');
  let context = input;
  if (focus !== undefined) {
    context = focus;
    if (Array.isArray(context) && !(context as { sequence?: boolean }).sequence) {
      const wrapper = seq(context) as unknown[] & { outerWrapper?: boolean };
      wrapper.outerWrapper = true;
      context = wrapper;
    }
  }
  const program = programFor(text as string);
  const nested: Env = { bindings: vars(), root: env.root, timestamp: env.timestamp, g: env.g, registered: env.registered, callsBound: true, site: env.site };
  try {
    if (!async) return program.sync(context, nested, true);
    return program.async(context, nested, true).catch((error: unknown) => {
      throw wrapped(error);
    });
  } catch (error) {
    throw wrapped(error);
  }
}
