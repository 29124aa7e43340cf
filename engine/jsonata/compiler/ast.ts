/** The parts of jsonata's AST (as `expression.ast()` returns it) that the compiler reads. */
export interface Node {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Node[];
  stages?: Node[];
  predicate?: Node[];
  expr?: Node;
  lhs?: Node | Node[][] | undefined;
  rhs?: Node;
  expressions?: Node[];
  condition?: Node;
  then?: Node;
  else?: Node;
  procedure?: Node;
  arguments?: Node[];
  body?: Node;
  signature?: unknown;
  thunk?: boolean;
  keepArray?: boolean;
  keepSingletonArray?: boolean;
  consarray?: boolean;
  group?: unknown;
  focus?: unknown;
  tuple?: unknown;
  index?: unknown;
  ancestor?: unknown;
  seekingParent?: unknown;
  pattern?: unknown;
  update?: unknown;
  delete?: unknown;
  nextFunction?: unknown;
  expression?: Node;
}

/** The nodes of a tree (`node` included) that `match`, not looking inside those `stop` names. */
export function nodesIn(node: unknown, match: (n: Node) => boolean, stop: (n: Node) => boolean = () => false, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const n of node) nodesIn(n, match, stop, found);
    return found;
  }
  if (typeof node !== 'object' || node === null || node instanceof RegExp) return found;
  const n = node as Node;
  if (stop(n)) return found;
  if (match(n)) found.push(n);
  for (const [key, value] of Object.entries(n)) if (key !== 'position') nodesIn(value, match, stop, found);
  return found;
}

export const isBind = (n: Node): boolean => n.type === 'bind';
/** Nodes with a frame of their own: a binding inside them stays there. */
export const isScope = (n: Node): boolean => n.type === 'block' || n.type === 'lambda';

/** The names `$x := …` binds in the frame of `node` itself (not inside its blocks or lambdas). */
export function boundNames(node: unknown): string[] {
  return nodesIn(node, isBind, isScope).map((bind) => String((bind.lhs as Node).value));
}
