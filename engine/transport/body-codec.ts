import type { BodyFormat } from '../definition';
import { UnimapError } from '../errors';
import { queryString, xmlCodec } from './lazy-codecs';

const CONTENT_TYPES: Record<BodyFormat, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  xml: 'application/xml',
};

export function contentTypeOf(format: BodyFormat): string {
  return CONTENT_TYPES[format];
}

/** Mapped JSON → wire text in the declared format. */
export function encodeBody(body: unknown, format: BodyFormat): string {
  try {
    switch (format) {
      case 'json':
        return JSON.stringify(body);
      case 'form':
        return queryString().stringify(body as Record<string, unknown>);
      case 'xml':
        return xmlCodec().builder.build(body) as string;
    }
  } catch (cause) {
    throw new UnimapError('UNIMAP_E_MAP_BODY_FORMAT', `the mapped body cannot be written as ${format}`, { cause });
  }
}

/** `as` is how the text was read (empty text is read as nothing at all). */
export type DecodeResult = { ok: true; value: unknown; as: BodyFormat | 'empty' } | { ok: false };

/** Wire text → JSON for the response mappings. The content type wins over the declared format (errors are often JSON or HTML). */
export function decodeBody(text: string, contentType: string | undefined, format: BodyFormat): DecodeResult {
  if (text.trim() === '') return { ok: true, value: undefined, as: 'empty' };
  const type = (contentType ?? '').toLowerCase();
  const asXml = type.includes('xml') || (format === 'xml' && !type.includes('json'));
  if (asXml) {
    try {
      if (!text.trimStart().startsWith('<')) return { ok: false };
      return { ok: true, value: xmlCodec().parser.parse(text) as unknown, as: 'xml' };
    } catch {
      return { ok: false };
    }
  }
  if (type.includes('x-www-form-urlencoded')) return { ok: true, value: queryString().parse(text), as: 'form' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, as: 'json' };
  } catch {
    return { ok: false };
  }
}
