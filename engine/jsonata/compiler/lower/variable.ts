import { _, type Code } from '../codegen';
import { tmp, type Cx, type Frame } from '../context';
import type { Node } from '../ast';

/** `$` (the context), `$$` (the root) and `$name`: frames inside the expression first, then the free lookup. */
export function lowerVariable(node: Node, cx: Cx): Code {
  const name = String(node.value);
  if (name === '') return cx.dollar;
  return resolve(name, cx);
}

export function resolve(name: string, cx: Cx): Code {
  return tmp(cx, resolveIn(name, cx.frame, cx), name);
}

/** The value of `$name` here, as an expression to read later (a transform reads `$clone` when it runs). */
export function resolveLater(name: string, cx: Cx): Code {
  return resolveIn(name, cx.frame, cx);
}

function resolveIn(name: string, frame: Frame | undefined, cx: Cx): Code {
  for (let f = frame; f !== undefined; f = f.parent) {
    const found = f.vars.get(name);
    if (found === undefined) continue;
    if (found.param) return found.name;
    return _`(${found.name} !== R.UNBOUND ? ${found.name} : ${resolveIn(name, f.parent, cx)})`;
  }
  return freeName(name, cx);
}

/** A name not bound in the expression; read once at the start of each evaluation. */
export function freeName(name: string, cx: Cx): Code {
  let hoisted = cx.shared.free.get(name);
  if (hoisted === undefined) {
    hoisted = cx.shared.scope.name('v', name === '$' ? 'root' : name);
    cx.shared.free.set(name, hoisted);
  }
  return hoisted;
}

/** True when `name` resolves to no frame of the expression at all. */
export function isFree(name: string, cx: Cx): boolean {
  for (let f: Frame | undefined = cx.frame; f !== undefined; f = f.parent) if (f.vars.has(name)) return false;
  return true;
}
