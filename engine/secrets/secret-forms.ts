/**
 * The forms a secret takes once the engine (or an HTTP stack echoing it back) has encoded it. Redacting only the
 * raw value would let `%2B`-escaped, JSON-escaped or base64 copies of the same credential through.
 */
export function deriveSecretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  // qs (RFC 3986) also escapes !'()*; URLSearchParams writes application/x-www-form-urlencoded (space as +).
  const rfc3986 = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams([['k', secret]]).toString().slice(2);
  for (const encoded of [uri, rfc3986, form, rfc3986.replace(/%20/g, '+')]) {
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())); // some servers echo lower-case escapes
  }
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  forms.add(escapeHtml(secret));
  const bytes = Buffer.from(secret, 'utf8');
  // Without padding: the unpadded text is a prefix of the padded one, so both are covered.
  forms.add(bytes.toString('base64').replace(/=+$/, ''));
  forms.add(bytes.toString('base64url'));
  forms.delete('');
  return [...forms];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
