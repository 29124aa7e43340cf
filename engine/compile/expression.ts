import { UnimapError, isUnimapError, type SourcePosition } from '../errors';
import { MappingRejection } from '../jsonata/functions';
import { compileExpression, isJsonataFailure, type MappingExpression } from '../jsonata/expression';
import type { YamlSource } from '../load/yaml-source';
import type { Problem } from '../validate/problem';

/** A compiled expression that knows where it was written, so run-time failures name file:line:column. */
export interface Evaluator {
  readonly source: string;
  readonly position: SourcePosition | undefined;
  readonly expression: MappingExpression;
  evaluate(input: unknown, bindings: Record<string, unknown>): Promise<unknown>;
  /** `evaluate` without a Promise when the expression completes synchronously (see MappingExpression.evaluateNow). */
  evaluateNow?(input: unknown, bindings: Record<string, unknown>): unknown;
}

/** Where an expression lives: the YAML file, the pointer to its string, and the offset of the expression in that string. */
export interface ExpressionSite {
  source: YamlSource;
  pointer: string;
  offset?: number;
}

/**
 * Expressions already parsed in this load, by text: the same text anywhere compiles to one shared expression.
 * `checkedBefore`: the texts were checked by an earlier load, so each is parsed when first used.
 */
export type ParsedExpressions = Map<string, MappingExpression> & { checkedBefore?: boolean };

/** Compile one expression; a syntax error becomes a positioned Problem and the result is undefined. */
export function compileAt(text: string, site: ExpressionSite, problems: Problem[], parsed?: ParsedExpressions): Evaluator | undefined {
  const base = site.offset ?? 0;
  let expression: MappingExpression;
  try {
    expression = parsed?.get(text) ?? compileExpression(text, parsed?.checkedBefore ? { parsedBefore: true } : {});
    parsed?.set(text, expression);
  } catch (error) {
    const failure = isJsonataFailure(error) ? error : { code: 'S0000', message: String(error) };
    const offset = base + Math.max(0, (failure.position ?? 1) - 1);
    problems.push({
      code: 'UNIMAP_E_DEF_JSONATA',
      message: `JSONata ${failure.code}: ${failure.message}`,
      position: site.source.positionInString(site.pointer, offset),
    });
    return undefined;
  }
  // where the expression starts: worked out when first asked for (an error to report), not at every load
  let position: SourcePosition | undefined;
  return {
    source: text,
    get position() {
      return (position ??= site.source.positionInString(site.pointer, base));
    },
    expression,
    async evaluate(input, bindings) {
      try {
        return await expression.evaluate(input, bindings);
      } catch (error) {
        throw evaluationError(error, text, site, base);
      }
    },
    evaluateNow(input, bindings) {
      const failed = (error: unknown) => {
        throw evaluationError(error, text, site, base);
      };
      try {
        const result = expression.evaluateNow ? expression.evaluateNow(input, bindings) : expression.evaluate(input, bindings);
        return result instanceof Promise ? result.catch(failed) : result;
      } catch (error) {
        return failed(error);
      }
    },
  };
}

function evaluationError(error: unknown, text: string, site: ExpressionSite, base: number): UnimapError {
  if (!isJsonataFailure(error) || isUnimapError(error) || error instanceof MappingRejection) return mappingError(error, 'mapping');
  const offset = base + Math.max(0, (error.position ?? 1) - 1);
  const position = site.source.positionInString(site.pointer, offset);
  return new UnimapError(
    'UNIMAP_E_MAP_EVALUATION',
    `${position.file}:${position.line}:${position.column}: JSONata ${error.code}: ${error.message}${error.token ? ` (token "${error.token}")` : ''} in \`${oneLine(text)}\``,
    { position, details: { jsonata_code: error.code } },
  );
}

/**
 * Any failure thrown while a mapping ran, as a typed error: `$reject` becomes REQ_REJECTED, a JSONata failure
 * (or anything else a built-in threw: RangeError, URIError…) MAP_EVALUATION naming `where`.
 */
export function mappingError(error: unknown, where: string): UnimapError {
  if (isUnimapError(error)) return error;
  if (error instanceof MappingRejection) return new UnimapError('UNIMAP_E_REQ_REJECTED', error.message);
  if (isJsonataFailure(error)) {
    return new UnimapError('UNIMAP_E_MAP_EVALUATION', `${where}: JSONata ${error.code}: ${error.message}`, { details: { jsonata_code: error.code } });
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new UnimapError('UNIMAP_E_MAP_EVALUATION', `${where} failed: ${name}${error instanceof Error ? `: ${error.message}` : ''}`, { cause: error });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
