/**
 * JSONata AST → JavaScript. `compileAst` returns the source of a factory `(R) => ({ sync, async })` or throws a
 * Refusal naming the first construct it does not implement exactly; the caller then keeps jsonata for that
 * expression. The same AST is lowered twice: once synchronous (the hot path) and once with `await` at every
 * call, for bindings and functions that return Promises.
 */
import { _, Code, Gen, join, lit, Scope, type Name } from './codegen';
import { type Cx, type Shared } from './context';
import { nodesIn, type Node } from './ast';
import { lower } from './lower/index';
import { declareFrame } from './lower/control';
import { RootReads } from './root-reads';
import { DYNAMIC_FREE_NAMES } from '../runtime/functions';

export { Refusal } from './context';
export { boundNames } from './ast';

export interface CompiledSource {
  /** Body of `new Function('R', body)`; returns `{ sync(input, E), async(input, E) }`. */
  factory: string;
  /** Names the expression calls that a binding could supply (checked per call to pick sync or async). */
  freeCalls: string[];
  /** Calls jsonata built-ins that only exist asynchronously ($map, $sort, …): always use the async form. */
  needsAsync: boolean;
}

interface Constants {
  scope: Scope;
  values: Map<string, Name>;
}

interface Options {
  /** A comment with the source position of every lowered node (for reading, not for running). */
  readable: boolean;
  namesCallSites: boolean;
}

function variant(ast: Node, async: boolean, statics: Code, constants: Constants, options: Options): { body: string; shared: Shared } {
  const scope = new Scope();
  const input = scope.name('x', 'input');
  const shared: Shared = {
    freeCalls: new Set(), free: new Map(), scope, usesAsyncBuiltin: false, collapsed: new Set(),
    constants: constants.values, constantScope: constants.scope, readAhead: new Map(), ...options,
  };
  const reads = new RootReads(scope, input);
  const body = new Gen();
  const dollar = scope.name('x', 'dollar');
  const cx: Cx = { gen: body, scope, input, dollar, inputNotArray: false, frame: { parent: undefined, vars: new Map() }, async, compact: false, reads, filteredTail: undefined, shared };
  cx.frame = declareFrame([ast], undefined, cx, []);
  const value = lower(ast, cx);
  body.add(_`return ${value};`);

  const fn = new Gen();
  // `raw`: the input is used as it is (a text run by $eval gets the caller's context, an array not wrapped)
  fn.open(async ? _`async function (input, E, raw) {` : _`function (input, E, raw) {`);
  fn.add(_`let ${input} = input;`);
  fn.add(_`if (!raw && Array.isArray(${input}) && !R.isSeq(${input})) { ${input} = R.seq(${input}); ${input}.outerWrapper = true; }`);
  fn.add(_`const ${dollar} = R.dollar(${input});`);
  // free names: a binding of the call wins; otherwise the registered or built-in value, resolved on the first
  // evaluation (built-ins are loaded by then) and kept for the program's life
  const frees = [...shared.free].filter(([name]) => !DYNAMIC_FREE_NAMES.has(name));
  if (frees.length > 0) {
    fn.add(_`const S = ${statics} ?? (${statics} = R.staticFree(E, [${join(frees.map(([name]) => lit(name)))}]));`);
    frees.forEach(([name, hoisted], i) =>
      fn.add(shared.freeCalls.has(name)
        ? _`const ${hoisted} = E.callsBound ? R.free(E, ${name}, S[${i}]) : S[${i}];`
        : _`const ${hoisted} = R.free(E, ${name}, S[${i}]);`));
  }
  for (const [name, hoisted] of shared.free) if (DYNAMIC_FREE_NAMES.has(name)) fn.add(_`const ${hoisted} = R.dynamicFree(E, ${name});`);
  fn.embed(reads.prologue);
  fn.embed(body);
  fn.close();
  return { body: fn.text(), shared };
}

/**
 * `readable`: see Options. `evalText`: a text `$eval` runs, whose calls may reach the caller's lambdas; it names its
 * call sites whatever it mentions.
 */
export function compileAst(ast: unknown, options: { readable?: boolean; evalText?: boolean } = {}): CompiledSource {
  const node = ast as Node;
  const constants: Constants = { scope: new Scope(), values: new Map() };
  // `$eval` named anywhere (called, passed, bound, shadowed) may read a call site's variables
  const mentionsEval = nodesIn(node, (n) => n.type === 'variable' && n.value === 'eval').length > 0;
  const chosen: Options = { readable: options.readable === true, namesCallSites: options.evalText === true || mentionsEval };
  const sync = variant(node, false, new Code('staticsSync'), constants, chosen);
  const async = variant(node, true, new Code('staticsAsync'), constants, chosen);
  const declared = [...constants.values].map(([code, name]) => `const ${name.text} = ${code};\n`).join('');
  const factory = `"use strict";\nlet staticsSync, staticsAsync;\n${declared}return {\nsync: ${sync.body},\nasync: ${async.body}\n};`;
  return { factory, freeCalls: [...sync.shared.freeCalls].sort(), needsAsync: sync.shared.usesAsyncBuiltin };
}

