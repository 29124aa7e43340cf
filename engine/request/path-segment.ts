import { UnimapError } from '../errors';
import { hasLoneSurrogate } from '../well-formed-text';

/**
 * URL-encode one value placed into a URL path. `encodeURIComponent` leaves `.` and `..` as they are and URL
 * normalisation then removes them (`/users/..` becomes `/`), so a caller's id could retarget the request; an empty
 * value collapses two segments into one. Such values, their percent-encoded forms (`%2e%2E`), and text that is not
 * well-formed Unicode are refused before anything is sent.
 */
export function encodePathSegment(value: string, source: string): string {
  const decoded = safeDecode(value);
  if (decoded.trim() === '' || decoded === '.' || decoded === '..') {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_PATH_VALUE', `a value placed into the path of "${source}" is ${decoded.trim() === '' ? 'empty' : `the dot segment "${decoded}"`}; it is never sent`, {
      details: { template: source },
    });
  }
  if (hasLoneSurrogate(value)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_PATH_VALUE', `a value placed into the path of "${source}" is not well-formed text (a lone surrogate)`, {
      details: { template: source },
    });
  }
  return encodeURIComponent(value);
}

/** The value with percent-escapes decoded repeatedly (bounded), so `%252e` is seen as `.` too; undecodable text as it is. */
function safeDecode(value: string): string {
  let current = value;
  for (let round = 0; round < 3 && current.includes('%'); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      break;
    }
  }
  return current;
}
