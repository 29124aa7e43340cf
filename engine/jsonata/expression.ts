import jsonata from 'jsonata';
import { MAPPING_FUNCTIONS } from './functions';
import { compileAst, Refusal } from './compiler/index';
import { R } from './runtime/index';
import { builtinsLoaded, builtinsReady, defineRegistered, type CallSite, type Env, type JFunction } from './runtime/functions';
import { NeedsAsync, Unsupported, jerr } from './runtime/errors';
import { DEFAULT_LIMITS, Guard, type Limits } from './runtime/guard';
import { checkRegexLiterals } from './runtime/regex';
import type { BoundedInterpreter } from './interpreter/bounded-interpreter';
import { setTextCompiler } from './runtime/eval';
import { boundNames } from './compiler/index';

/** What every mapping expression exposes; the engine never touches jsonata directly. */
export interface MappingExpression {
  readonly source: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
  /**
   * The same evaluation without a Promise, for hot paths. Throws a U0001 failure when something asynchronous is
   * involved (an async binding or function, or an expression that runs on the jsonata interpreter).
   */
  evaluateSync?(input: unknown, bindings?: Record<string, unknown>): unknown;
  /**
   * `evaluate` without its Promise when none is needed: the value itself when the expression completes synchronously
   * (the common case: compiled code within its first time slice), else a Promise of it. Errors may be thrown.
   */
  evaluateNow?(input: unknown, bindings?: Record<string, unknown>): unknown;
  /** False while the expression runs on the jsonata interpreter. */
  readonly compiled: boolean;
  /** jsonata's parse tree, for static checks (fields read). */
  ast(): unknown;
}

/** A jsonata failure as jsonata reports it: `code` (S0xxx/T/D), character `position`, `token`. */
export interface JsonataFailure {
  code: string;
  message: string;
  position?: number;
  token?: string;
}

export function isJsonataFailure(value: unknown): value is JsonataFailure {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string';
}

export interface CompileOptions {
  /**
   * Per-evaluation bounds on both paths: D1012 past `timeoutMs`, D1011 past `maxDepth` nested calls, D1014 for a
   * string longer than `maxStringLength`. Unset ones take the defaults (see setDefaultLimits).
   */
  limits?: Partial<Limits>;
  /** Set false to keep the expression on the jsonata interpreter (the oracle in tests and benchmarks). */
  native?: boolean;
  /** `evaluate` runs the asynchronous form of the compiled code even when the synchronous one would do (tests). */
  forceAsync?: boolean;
  /**
   * The text was parsed without errors before, by this engine (a record of checked definitions): it is parsed when
   * first evaluated or inspected, not now, so a load pays nothing for the expressions a process never runs.
   */
  parsedBefore?: boolean;
}

/** How expressions were compiled since load: native, kept on jsonata (with the reason), re-run on jsonata at run time. */
export interface CompilationStats {
  native: number;
  fallback: number;
  runtimeFallbacks: number;
  reasons: Record<string, number>;
}

const stats: CompilationStats = { native: 0, fallback: 0, runtimeFallbacks: 0, reasons: {} };

export function compilationStats(): CompilationStats {
  return { ...stats, reasons: { ...stats.reasons } };
}

/** A compiled program: `(R) => ({ sync, async })`, as `unimap compile` also writes it to disk. */
export type Program = { sync(input: unknown, env: Env, raw?: boolean): unknown; async(input: unknown, env: Env, raw?: boolean): Promise<unknown> };
export type ProgramFactory = (runtime: typeof R) => Program;

/** Programs written ahead of time by `unimap compile`, keyed by expression source; used instead of `new Function`. */
const precompiled = new Map<string, { factory: ProgramFactory; freeCalls: string[]; needsAsync: boolean }>();

export function registerPrecompiled(entries: Record<string, { factory: ProgramFactory; freeCalls: string[]; needsAsync: boolean }>): void {
  for (const [source, entry] of Object.entries(entries)) precompiled.set(source, entry);
}

let defaultLimits: Limits = { ...DEFAULT_LIMITS };

// the texts `$eval` runs in compiled code: compiled like any expression (undefined when the compiler refuses one)
setTextCompiler((source, ast) => {
  const ahead = precompiled.get(source);
  try {
    const compiled = ahead ?? compileAst(ast, { evalText: true });
    const program = ahead ? ahead.factory(R) : (new Function('R', (compiled as { factory: string }).factory) as ProgramFactory)(R);
    return { sync: (input, env, raw) => program.sync(input, env, raw), async: (input, env, raw) => program.async(input, env, raw), freeCalls: compiled.freeCalls, bindsAtTop: boundNames(ast).length > 0 };
  } catch (error) {
    if (error instanceof Refusal) return undefined;
    throw error;
  }
});

/**
 * The limits of expressions compiled from now on without limits of their own (an embedding sets its budget once,
 * before loading definitions). Defaults: DEFAULT_LIMITS (2 s, 1,000 nested calls, 10,000,000 characters).
 */
export function setDefaultLimits(limits: Partial<Limits>): void {
  defaultLimits = { ...defaultLimits, ...limits };
}

/** The jsonata interpreter path, loaded with the first expression that needs it (every shipped one compiles). */
function boundedInterpreter(): typeof import('./interpreter/bounded-interpreter') {
  return require('./interpreter/bounded-interpreter') as typeof import('./interpreter/bounded-interpreter');
}

const REGISTERED: Readonly<Record<string, JFunction>> = Object.freeze(
  Object.fromEntries(Object.entries(MAPPING_FUNCTIONS).map(([name, fn]) => [name, defineRegistered(fn, true)])),
);

class EvalEnv implements Env {
  private ts = -1;
  private calls: CallSite | undefined;
  constructor(
    readonly bindings: Record<string, unknown> | undefined,
    readonly root: unknown,
    readonly g: Guard,
    readonly registered: Readonly<Record<string, JFunction>>,
    readonly callsBound: boolean,
  ) {}
  get timestamp(): number {
    if (this.ts < 0) this.ts = Date.now();
    return this.ts;
  }
  /** Made by the first program that names its call sites (one that mentions `$eval`). */
  get site(): CallSite {
    return (this.calls ??= { callee: undefined, vars: undefined });
  }
}

/**
 * Parse once; throws a JsonataFailure on a syntax error, or S0303 for a regex literal that cannot run in linear
 * time (a backreference, a lookaround). The expression is compiled to JavaScript when every construct in it is
 * implemented exactly; otherwise it runs on jsonata (counted in compilationStats()), bounded the same way.
 */
export function compileExpression(source: string, options: CompileOptions = {}): MappingExpression {
  const limits: Limits = { ...defaultLimits, ...options.limits };
  // this instance's tree feeds the compiler and static checks; evaluation on jsonata uses a bounded instance
  let interpreter: ReturnType<typeof jsonata> | undefined;
  const parse = () => (interpreter ??= jsonata(source));
  if (!options.parsedBefore) checkRegexLiterals(parse().ast());
  let bounded: Promise<BoundedInterpreter> | undefined;
  const interpret = async (input: unknown, bindings?: Record<string, unknown>): Promise<unknown> =>
    (await (bounded ??= boundedInterpreter().createBoundedInterpreter(source, limits, MAPPING_FUNCTIONS))).evaluate(input, bindings);

  // Code generation waits for the first evaluation (or a read of `compiled`): loading stays at parse cost.
  type Built = { program: Program; freeCalls: string[]; needsAsync: boolean };
  let state: Built | null | undefined = options.native === false ? null : undefined;
  const build = (): Built | null => {
    if (state !== undefined) return state;
    const ahead = precompiled.get(source);
    try {
      if (ahead) {
        state = { program: ahead.factory(R), freeCalls: ahead.freeCalls, needsAsync: ahead.needsAsync };
      } else {
        const compiled = compileAst(parse().ast());
        state = { program: (new Function('R', compiled.factory) as ProgramFactory)(R), freeCalls: compiled.freeCalls, needsAsync: compiled.needsAsync };
      }
      stats.native++;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      stats.fallback++;
      stats.reasons[error.reason] = (stats.reasons[error.reason] ?? 0) + 1;
      state = null;
    }
    return state;
  };
  const overridden = (freeCalls: string[], bindings: Record<string, unknown> | undefined): boolean => {
    if (bindings === undefined) return false;
    for (const name of freeCalls) if (Object.prototype.hasOwnProperty.call(bindings, name)) return true;
    return false;
  };
  const env = (input: unknown, bindings: Record<string, unknown> | undefined, callsBound: boolean, g: Guard) => new EvalEnv(bindings, input, g, REGISTERED, callsBound);
  const fallBack = (error: unknown, input: unknown, bindings: Record<string, unknown> | undefined): Promise<unknown> => {
    if (!(error instanceof Unsupported)) throw error;
    stats.runtimeFallbacks++;
    return interpret(input, bindings);
  };
  // evaluate without its Promise: a value when the compiled code finishes within its synchronous slice
  const evaluateNow = (input: unknown, bindings?: Record<string, unknown>): unknown => {
    const built = build();
    if (built === null) return interpret(input, bindings);
    if (!builtinsLoaded()) return builtinsReady.then(() => evaluateNow(input, bindings));
    const callsBound = overridden(built.freeCalls, bindings);
    let startedAt = 0;
    if (!built.needsAsync && !callsBound && options.forceAsync !== true) {
      // synchronous for a slice at most: a longer evaluation starts again asynchronously, where it yields
      const sliced = new Guard(limits, 0, true);
      try {
        return built.program.sync(input, env(input, bindings, false, sliced));
      } catch (error) {
        if (!(error instanceof NeedsAsync)) return fallBack(error, input, bindings);
        startedAt = sliced.startedAt;
      }
    }
    try {
      return built.program.async(input, env(input, bindings, callsBound, new Guard(limits, startedAt))).catch((error: unknown) => fallBack(error, input, bindings));
    } catch (error) {
      return fallBack(error, input, bindings);
    }
  };

  return {
    source,
    get compiled() {
      return build() !== null;
    },
    ast: () => parse().ast(),
    async evaluate(input, bindings) {
      return evaluateNow(input, bindings);
    },
    evaluateNow,
    evaluateSync(input, bindings) {
      const built = build();
      if (built === null || built.needsAsync || !builtinsLoaded()) throw jerr('U0001');
      try {
        return built.program.sync(input, env(input, bindings, overridden(built.freeCalls, bindings), new Guard(limits)));
      } catch (error) {
        if (error instanceof NeedsAsync || error instanceof Unsupported) throw jerr('U0001');
        throw error;
      }
    },
  };
}
