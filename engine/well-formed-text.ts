/** Half of a UTF-16 surrogate pair: no provider can match it, and URL encoding of it is not defined. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text holds a lone surrogate (String.prototype.isWellFormed, which the ES2022 target lacks). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
