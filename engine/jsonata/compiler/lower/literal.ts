import { lit, type Code } from '../codegen';
import { refuse } from '../context';
import type { Node } from '../ast';

export function lowerLiteral(node: Node): Code {
  const v = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return lit(v);
  return refuse('literal of unexpected type');
}
