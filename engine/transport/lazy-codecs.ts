import type { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type QueryString from 'qs';


let xml: { parser: XMLParser; builder: XMLBuilder } | undefined;
let query: typeof QueryString | undefined;

/**
 * fast-xml-parser, loaded with the first XML body: most integrations speak JSON only, and a cold start should not
 * pay for it. XML keeps text as text: provider values such as ids with leading zeros must not become numbers.
 */
export function xmlCodec(): { parser: XMLParser; builder: XMLBuilder } {
  if (xml) return xml;
  const { XMLBuilder: Builder, XMLParser: Parser } = require('fast-xml-parser') as typeof import('fast-xml-parser');
  return (xml = {
    parser: new Parser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: true }),
    builder: new Builder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false }),
  });
}

/** qs, loaded with the first form body or query string it writes (a call without query parameters needs none). */
export function queryString(): typeof QueryString {
  return (query ??= require('qs') as typeof QueryString);
}
