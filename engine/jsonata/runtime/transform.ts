/**
 * The transform `| pattern | update, delete |`: a function (jsonata's signature `<(oa):o>`) that clones its
 * argument with the `$clone` in scope where the transform was written, then for every match of the pattern in the
 * clone merges the update object into it and deletes the listed keys (jsonata's evaluateTransformExpression).
 */
import { jerr } from './errors';
import { applyAsync, applySync, type Env } from './functions';
import { signature } from './signature';
import { isFn } from './values';
import { SYNC_FORM } from './bounded-builtins';

type Part = (context: unknown) => unknown;

export interface TransformParts {
  position: number;
  updatePosition: number;
  deletePosition: number;
  pattern: Part;
  update: Part;
  delete: Part | undefined;
}

const TRANSFORM_SIGNATURE = '<(oa):o>';

/** Merge `update` into `match` (T2011 for anything but an object). */
function merge(match: unknown, update: unknown, parts: TransformParts): void {
  if (update === undefined) return;
  if (typeof update !== 'object' || update === null || Array.isArray(update)) throw jerr('T2011', { position: parts.updatePosition, value: update });
  // strict mode, as jsonata's evaluator: a property set on a string or number match fails with a TypeError
  for (const prop of Object.keys(update)) (match as Record<string, unknown>)[prop] = (update as Record<string, unknown>)[prop];
}

/** Delete the keys `value` names from `match` (T2012 unless they are strings). */
function remove(match: unknown, value: unknown, parts: TransformParts): void {
  if (value === undefined) return;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) throw jerr('T2012', { position: parts.deletePosition, value });
  for (const key of list) if (typeof match === 'object' && match !== null) delete (match as Record<string, unknown>)[key as string];
}

function matchesOf(found: unknown): unknown[] {
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}

/** The transform function of the synchronous code: its parts are synchronous closures; `$clone` read when it runs. */
export function transform(env: Env, cloneHere: () => unknown, parts: TransformParts): object {
  const implementation = (obj: unknown): unknown => {
    if (obj === undefined) return undefined;
    const clone = cloneHere();
    if (!isFn(clone)) throw jerr('T2013', { position: parts.position });
    const result = applySync(env, clone, [obj], null);
    for (const match of matchesOf(parts.pattern(result))) {
      env.g.tick(1);
      merge(match, parts.update(match), parts);
      // the deletions are evaluated on the match as updated
      if (parts.delete !== undefined) remove(match, parts.delete(match), parts);
    }
    return result;
  };
  return { _jsonata_function: true, implementation, [SYNC_FORM]: implementation, signature: signature(TRANSFORM_SIGNATURE) };
}

export function transformA(env: Env, cloneHere: () => unknown, parts: TransformParts): object {
  const implementation = async (obj: unknown): Promise<unknown> => {
    if (obj === undefined) return undefined;
    const clone = cloneHere();
    if (!isFn(clone)) throw jerr('T2013', { position: parts.position });
    const result = await applyAsync(env, clone, [obj], null);
    for (const match of matchesOf(await parts.pattern(result))) {
      env.g.tick(1);
      if (env.g.due) await env.g.pause();
      merge(match, await parts.update(match), parts);
      if (parts.delete !== undefined) remove(match, await parts.delete(match), parts);
    }
    return result;
  };
  return { _jsonata_function: true, implementation, signature: signature(TRANSFORM_SIGNATURE) };
}
