/**
 * A tiny typed code builder (in the spirit of Ajv's): generated source is assembled only from `Code` fragments;
 * every value interpolated into a fragment that is not itself `Code` is written as a JSON literal, so no data
 * (field names, strings from the expression) can ever become code.
 */
export class Code {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** An identifier issued by a Scope. */
export class Name extends Code {}

export type Interp = Code | string | number | boolean | null | undefined;

/** A safe literal for a JSON scalar. */
export function lit(value: string | number | boolean | null | undefined): Code {
  if (value === undefined) return new Code('undefined');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite literal');
    return new Code(Object.is(value, -0) ? '-0' : JSON.stringify(value));
  }
  return new Code(JSON.stringify(value));
}

/** Template tag: `Code` parts are spliced as code, anything else as a literal. */
export function _(strings: TemplateStringsArray, ...values: Interp[]): Code {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    text += (v instanceof Code ? v.text : lit(v as string | number | boolean | null | undefined).text) + strings[i + 1]!;
  }
  return new Code(text);
}

export function join(parts: Code[], separator: Code = new Code(', ')): Code {
  return new Code(parts.map((p) => p.text).join(separator.text));
}

/** What each kind of name holds, as the generated code spells it when no better word is known. */
const WORDS = { t: 't', v: 'v', f: 'fn', p: 'p', k: 'i', x: 'ctx', o: 'obj', a: 'seq', e: 'err', c: 'at', K: 'K' } as const;

/**
 * Names of the generated code: `<word><n>`, or `<hint>_<n>` when the source gives a word for what the name holds
 * (a field, a variable, a parameter). Only letters and digits of a hint are kept, so a hint never makes code, and
 * the `_` keeps hinted names apart from the others and from JavaScript's reserved words.
 */
export class Scope {
  private next = 0;
  name(prefix: keyof typeof WORDS, hint?: string): Name {
    const word = hint === undefined ? '' : hint.replace(/[^A-Za-z0-9]/g, '').replace(/^[0-9]+/, '').slice(0, 24);
    return new Name(word === '' ? `${WORDS[prefix]}${this.next++}` : `${word}_${this.next++}`);
  }
}

/** Statements, with indentation. */
export class Gen {
  private readonly lines: string[] = [];
  private depth = 0;

  add(code: Code): void {
    this.lines.push(`${'  '.repeat(this.depth)}${code.text}`);
  }

  open(code: Code): void {
    this.add(code);
    this.depth++;
  }

  close(code: Code = new Code('}')): void {
    this.depth--;
    this.add(code);
  }

  /** A `// …` line (line breaks and comment ends in `text` removed). */
  comment(text: string): void {
    this.add(new Code(`// ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`));
  }

  /** `} else {` and the like: one level out for this line, then back in. */
  mid(code: Code): void {
    this.depth--;
    this.add(code);
    this.depth++;
  }

  /** Splice the statements of another generator (built the same way) at the current indentation. */
  embed(other: Gen): void {
    for (const line of other.lines) this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
