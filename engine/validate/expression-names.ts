/**
 * Static reading of a JSONata syntax tree for the remote fields a response mapping reads from its input, each
 * with its offset in the expression, so a problem can point at the token. Only what is certain is reported:
 * names read through a variable other than `$`/`$$`, after a function call, or inside a lambda (whose input is
 * unknown) are left out.
 */
type Node = { type?: string; value?: unknown; position?: number; steps?: Node[]; stages?: Node[]; [key: string]: unknown };

export interface NameAt {
  name: string;
  /** Offset of the name's first character in the expression text. */
  offset: number;
}

/** Input-relative field names a mapping reads (`jobTitle`, `profile.firstName`, `emails[primary].value`). */
export function remoteNamesRead(ast: unknown, text: string): NameAt[] {
  const found: NameAt[] = [];
  walk(ast, true, (node) => found.push({ name: String(node.value), offset: nameOffset(node, text) }));
  return found;
}

/** `remote`: whether the context an expression is evaluated in is (part of) the remote input. */
function walk(node: unknown, remote: boolean, onName: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, remote, onName);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.type === 'path' && Array.isArray(n.steps)) {
    walkPath(n.steps, remote, onName);
    return;
  }
  if (n.type === 'name') {
    if (remote) onName(n);
    walkStages(n, remote, onName);
    return;
  }
  if (n.type === 'lambda') {
    walk(n['body'], false, onName);
    return;
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'position' || key === 'procedure' || key === 'value') continue;
    if (value && typeof value === 'object') walk(value, remote, onName);
  }
}

function walkPath(steps: Node[], remote: boolean, onName: (node: Node) => void): void {
  const [head] = steps;
  // `$` and `$$` are the input; any other variable ($context, $steps, a lambda's parameter) is not
  const inputRooted = head?.type === 'name' ? remote : head?.type === 'variable' && (head.value === '' || head.value === '$');
  let onInput = inputRooted;
  steps.forEach((step, i) => {
    if (i === 0 && step.type === 'variable') {
      walkStages(step, onInput, onName);
      return;
    }
    if (step.type === 'name') {
      if (onInput) onName(step);
      walkStages(step, onInput, onName);
      return;
    }
    // a computed step: its own arguments are read in the current context, later names belong to what it returns
    walk(step, i === 0 ? remote : onInput, onName);
    if (i === 0 || step.type === 'function' || step.type === 'block') onInput = false;
  });
}

/** Predicates (`[type="work"]`) are evaluated against the step's items. */
function walkStages(step: Node, remote: boolean, onName: (node: Node) => void): void {
  for (const stage of [...(step.stages ?? []), ...((step['predicate'] as Node[] | undefined) ?? [])]) walk(stage['expr'] ?? stage, remote, onName);
}

/** jsonata records where a token ends; a name may be written `` `odd name` ``. */
function nameOffset(node: Node, text: string): number {
  const name = String(node.value);
  const end = node.position ?? 0;
  const start = end - name.length;
  if (text.slice(start, end) === name) return start;
  const quoted = text.lastIndexOf(`\`${name}\``, end);
  return quoted >= 0 ? quoted + 1 : Math.max(0, start);
}
