/**
 * Where the first JSON syntax error in `text` is, as a character offset (undefined when the text is valid JSON).
 * JSON.parse's own message sometimes gives no position and sometimes quotes the text around the error, which in
 * an accounts file is a credential; this scanner finds the position without quoting anything. Iterative, so
 * deeply nested text cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string): number | undefined {
  type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  const containers: Array<'{' | '['> = [];
  let expect: Expect = 'value';
  let at = 0;
  const afterValue = (): Expect => (containers.length === 0 ? 'end' : 'comma-or-close');
  for (;;) {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
    if (at >= text.length) return expect === 'end' ? undefined : at;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) return at;
    const token = match[0];
    const isScalar = token[0] === '"' || /^[-\d tfn]/.test(token);
    switch (expect) {
      case 'end':
        return at;
      case 'colon':
        if (token !== ':') return at;
        expect = 'value';
        break;
      case 'key':
      case 'key-or-close':
        if (expect === 'key-or-close' && token === '}') {
          containers.pop();
          expect = afterValue();
        } else if (token[0] === '"') expect = 'colon';
        else return at;
        break;
      case 'comma-or-close': {
        const top = containers[containers.length - 1];
        if (token === ',') expect = top === '{' ? 'key' : 'value';
        else if ((token === '}' && top === '{') || (token === ']' && top === '[')) {
          containers.pop();
          expect = afterValue();
        } else return at;
        break;
      }
      case 'value':
      case 'value-or-close':
        if (expect === 'value-or-close' && token === ']') {
          containers.pop();
          expect = afterValue();
        } else if (token === '{' || token === '[') {
          containers.push(token);
          expect = token === '{' ? 'key-or-close' : 'value-or-close';
        } else if (isScalar) expect = afterValue();
        else return at;
        break;
    }
    at = TOKEN.lastIndex;
  }
}

const WHITESPACE = /[ \t\n\r]*/y;
// One JSON token: a string (escapes checked, no raw control characters), a number, a literal, or punctuation.
const TOKEN = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])|(?:true|false|null)(?!\w)|[{}[\],:]/y;
