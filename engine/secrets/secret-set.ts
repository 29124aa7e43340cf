import { deriveSecretForms } from './secret-forms';

/**
 * How short secrets are matched. A secret of 4 characters or more is redacted wherever it occurs, even inside a
 * longer word. A shorter one (a 1–3 character PIN or test key) is redacted only where it stands alone — not
 * directly next to a letter or digit — as it does in a header value ("SSWS ab"), a query string ("key=ab&") or a
 * JSON value ("ab"); scrubbing every "a" out of every message would make errors unreadable while hiding nothing.
 * What the engine builds from a short secret (a Basic pair's base64, an auth header) is registered as a whole
 * (addCredential), so it is redacted in full however short the secret inside it is.
 */
const MIN_SUBSTRING_LENGTH = 4;
/** A text cut off by a size limit can end with the start of a secret; at least this many characters of it are scrubbed. */
const MIN_FRAGMENT_LENGTH = 4;
const ALPHANUMERIC = 'A-Za-z0-9';

/** The compiled form of a set: one regex over every derived form, and a lookup for fragments at a text's end. */
export interface SecretMatcher {
  /** Every form, longest first (a longer form wins over a shorter one inside it); undefined when the set is empty. */
  readonly pattern: RegExp | undefined;
  /** The length of a secret form's leading part that `text` ends with (0 when none). */
  fragmentAtEnd(text: string): number;
}

/** The secret values of one call. Add to it as the call derives new credentials from them; redaction reads it when it runs. */
export class SecretSet implements Iterable<string> {
  private readonly values = new Set<string>();
  private compiled: SecretMatcher | undefined;

  constructor(values: Iterable<unknown> = []) {
    for (const value of values) this.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.values.values();
  }

  /** A secret: a string or number, or every string and number inside an object or array. */
  add(value: unknown): void {
    for (const text of leafTexts(value)) {
      if (text === '' || this.values.has(text)) continue;
      this.values.add(text);
      this.compiled = undefined;
    }
  }

  /**
   * A value an auth template built from secrets (a header or query value). It is a secret of its own: the Basic
   * pair base64(user:password) reveals no raw secret, yet is one. After an auth scheme ("Basic …", "Bearer …")
   * only the credential is registered, so shown requests keep the scheme.
   */
  addCredential(value: unknown): void {
    if (typeof value !== 'string') return this.add(value);
    const schemed = /^[A-Za-z][A-Za-z0-9_.+-]*[ \t]+(\S[\s\S]*)$/.exec(value.trim());
    this.add(schemed ? schemed[1]!.trim() : value);
  }

  matcher(): SecretMatcher {
    return (this.compiled ??= compileMatcher([...this.values]));
  }
}

function compileMatcher(values: string[]): SecretMatcher {
  const forms = [...new Set(values.flatMap(deriveSecretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return { pattern: undefined, fragmentAtEnd: () => 0 };
  const alternatives = forms.map((form) =>
    form.length >= MIN_SUBSTRING_LENGTH ? escapeRegExp(form) : `(?<![${ALPHANUMERIC}])${escapeRegExp(form)}(?![${ALPHANUMERIC}])`);
  // Keyed by the last MIN_FRAGMENT_LENGTH characters of each leading part, so a lookup costs one map access.
  const fragments = new Map<string, Array<[form: string, length: number]>>();
  for (const form of forms) {
    for (let length = MIN_FRAGMENT_LENGTH; length < form.length; length++) {
      const key = form.slice(length - MIN_FRAGMENT_LENGTH, length);
      const list = fragments.get(key);
      if (list) list.push([form, length]);
      else fragments.set(key, [[form, length]]);
    }
  }
  return {
    pattern: new RegExp(alternatives.join('|'), 'g'),
    fragmentAtEnd(text) {
      let longest = 0;
      for (const [form, length] of fragments.get(text.slice(-MIN_FRAGMENT_LENGTH)) ?? []) {
        if (length > longest && text.endsWith(form.slice(0, length))) longest = length;
      }
      return longest;
    },
  };
}

/** Strings and numbers of a value, walked iteratively (a secret may be an object, e.g. a service-account key). */
function leafTexts(value: unknown): string[] {
  const out: string[] = [];
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'bigint') out.push(String(item));
    else if (typeof item === 'object' && item !== null && !seen.has(item)) {
      seen.add(item);
      for (const child of Object.values(item)) pending.push(child);
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
