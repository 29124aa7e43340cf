import jsonata from 'jsonata';
import { MAPPING_FUNCTIONS } from './functions';

/** What every mapping expression exposes; the engine never touches jsonata directly. */
export interface MappingExpression {
  readonly source: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
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

/**
 * Parse once; throws a JsonataFailure on a syntax error. Functions are registered per expression because
 * jsonata keeps them on the expression's own environment.
 */
export function compileExpression(source: string): MappingExpression {
  const expression = jsonata(source);
  for (const [name, fn] of Object.entries(MAPPING_FUNCTIONS)) expression.registerFunction(name, fn);
  return {
    source,
    compiled: false,
    ast: () => expression.ast(),
    evaluate: (input, bindings) => expression.evaluate(input, bindings),
  };
}
