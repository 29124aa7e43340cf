import { _, Code, Gen, Name, Scope } from './codegen';
import type { Node } from './ast';
import type { RootReads } from './root-reads';

/** Thrown at compile time for anything not implemented exactly: the expression then runs on jsonata. */
export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** A variable frame (jsonata creates one per block, per lambda call and at the root). */
export interface Frame {
  parent: Frame | undefined;
  /** `reads`: paths read from a parameter the body never rebinds, once at the start of the body. */
  vars: Map<string, { name: Name; param: boolean; reads?: RootReads }>;
}

export interface Cx {
  gen: Gen;
  scope: Scope;
  /** The context value (`input` in jsonata's evaluate). */
  input: Code;
  /** What `$` means here (the input, unwrapped at the root). */
  dollar: Code;
  /** The context value is known not to be an array (it is the single item of an enclosing object constructor). */
  inputNotArray: boolean;
  frame: Frame;
  async: boolean;
  /** Inside a second, general copy of some code: emit only general forms, so code size stays linear. */
  compact: boolean;
  /** Name paths read from this context value once, at the start of the code that binds it (see RootReads). */
  reads: RootReads | undefined;
  /**
   * Inside a block or condition of a lambda's tail whose value is filtered by indexes (`($f($x))[0]`): jsonata
   * filters the thunk of the tail call, which only the indexes 0 and -1 keep. `keep`: the calls are handed to the
   * trampoline as they are; `drop`: they are never made.
   */
  filteredTail: 'keep' | 'drop' | undefined;
  shared: Shared;
}

/** Facts gathered over the whole expression. */
export interface Shared {
  /** Names called as functions without a binding inside the expression. */
  freeCalls: Set<string>;
  /** Free variables read; hoisted to the start of each evaluation. */
  free: Map<string, Name>;
  scope: Scope;
  usesAsyncBuiltin: boolean;
  /** Values already collapsed as jsonata collapses every step's result (no `R.cl` needed around them). */
  collapsed: Set<Code>;
  /** Values made once per program (signature validators), by their code; shared by both variants. */
  constants: Map<string, Name>;
  constantScope: Scope;
  /** Write a comment with the source position of each lowered node (`unimap compile --expr`). */
  readable: boolean;
  /** Variable reads made ahead of their place (a constructor's sibling binds after them, see lower/constructors). */
  readAhead: Map<Node, Code>;
  /**
   * Calls pass the variables visible where they are made, and lambdas take their caller's: the program mentions
   * `$eval` (or is a text run by it), which reads them (see CallSite in runtime/functions).
   */
  namesCallSites: boolean;
}

/** A value made once per program (at load of the factory), e.g. `R.signature("<n:n>")`. */
export function constant(cx: Cx, code: Code): Name {
  const known = cx.shared.constants.get(code.text);
  if (known !== undefined) return known;
  const name = cx.shared.constantScope.name('K');
  cx.shared.constants.set(code.text, name);
  return name;
}

export function child(cx: Cx, changes: Partial<Cx>): Cx {
  return { ...cx, ...changes };
}

/** Emit `const tN = code;` (or `hint_N`) and return the name. */
export function tmp(cx: Cx, code: Code, hint?: string): Name {
  const name = cx.scope.name('t', hint);
  cx.gen.add(_`const ${name} = ${code};`);
  return name;
}

export function awaitIf(cx: Cx, code: Code): Code {
  return cx.async ? _`(await ${code})` : code;
}
