import { UnimapError } from '../errors';
import { PATH_SEGMENTS, isPathSegments } from '../jsonata/functions';
import type { Evaluator } from './expression';
import { scanTemplate, type TemplateSyntaxProblem } from './template-syntax';

/**
 * A string with `{{ JSONata }}` holes, compiled once. A template that is exactly one hole keeps the
 * expression's type (so a query value can be a number or be left out when undefined).
 */
export interface Template {
  readonly source: string;
  /** The compiled holes, for static checks. */
  readonly expressions: readonly Evaluator[];
  render(bindings: Record<string, unknown>): Promise<unknown>;
  /** Like render, but always a string; `encode` is applied to each hole (URL-encoding in paths). */
  renderString(bindings: Record<string, unknown>, encode?: (value: string) => string): Promise<string>;
  /** A URL path: every hole must give a value, and each value (or each of `$segments`) goes through `encodeSegment`. */
  renderPath(bindings: Record<string, unknown>, encodeSegment: (value: string, source: string) => string): Promise<string>;
}

type Part = string | Evaluator;

/**
 * Split a template into literal text and expressions; `compile` receives each hole with its offset in the string.
 * Syntax problems (an unterminated or empty hole, a stray `}}`) go to `report`; the template is then never used.
 */
export function compileTemplate(
  source: string,
  compile: (expression: string, offset: number) => Evaluator,
  report: (problem: TemplateSyntaxProblem) => void = () => undefined,
): Template {
  const scanned = scanTemplate(source);
  scanned.problems.forEach(report);
  const parts: Part[] = scanned.pieces.map((piece) => ('text' in piece ? piece.text : compile(piece.expression, piece.offset)));
  const only = parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : undefined;

  const renderString = async (bindings: Record<string, unknown>, encode: (v: string) => string = (v) => v, required = false) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = await part.evaluate(undefined, bindings);
      if (value === undefined || value === null) {
        if (required) encode(''); // an absent path value is an empty segment, which the path encoder refuses
        continue;
      }
      if (isPathSegments(value)) {
        out += value[PATH_SEGMENTS].map(encode).join('/');
        continue;
      }
      if (typeof value === 'object') {
        throw new UnimapError('UNIMAP_E_MAP_TEMPLATE', `template "${source}" produced an object where text is needed`, {
          ...(part.position ? { position: part.position } : {}),
        });
      }
      out += encode(String(value));
    }
    return out;
  };
  return {
    source,
    expressions: parts.filter((p): p is Evaluator => typeof p !== 'string'),
    renderString,
    renderPath: (bindings, encodeSegment) => renderString(bindings, (v) => encodeSegment(v, source), true),
    render: (bindings) => (only ? only.evaluate(undefined, bindings) : renderString(bindings)),
  };
}
