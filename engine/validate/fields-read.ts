/**
 * Static analysis of a JSONata AST: which top-level fields of the input (the unified body, or query) an expression
 * reads. Counts `field…` paths evaluated against the input, `$<rootVariable>.field` and `$$.field`. Inside lambdas the context is
 * unknown, so only `$body.` and `$$.` paths count there.
 */
type Node = { type?: string; value?: unknown; steps?: Node[]; [key: string]: unknown };

export function fieldsRead(ast: unknown, rootVariable = 'body', inputIsRoot = true): Set<string> {
  const found = new Set<string>();
  walk(ast as Node, inputIsRoot, found, rootVariable);
  return found;
}

function walk(node: unknown, atRoot: boolean, found: Set<string>, rootVariable: string): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, atRoot, found, rootVariable);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.type === 'path' && Array.isArray(n.steps) && n.steps.length > 0) {
    const [first, second] = n.steps;
    if (first!.type === 'name' && atRoot) found.add(String(first!.value));
    const fromRoot = first!.type === 'variable' && (first!.value === rootVariable || (first!.value === '$' && atRoot));
    if (fromRoot && second?.type === 'name') found.add(String(second.value));
    if (first!.type !== 'name' && first!.type !== 'variable') walk(first, atRoot, found, rootVariable);
    walkChildren(first!, false, found, rootVariable);
    for (const step of n.steps.slice(1)) walk(step, false, found, rootVariable);
    return;
  }
  if (n.type === 'lambda') {
    walk(n['body'], false, found, rootVariable);
    return;
  }
  walkChildren(n, atRoot, found, rootVariable);
}

function walkChildren(node: Node, atRoot: boolean, found: Set<string>, rootVariable: string): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'position' || key === 'procedure') continue;
    if (value && typeof value === 'object') walk(value, atRoot, found, rootVariable);
  }
}
