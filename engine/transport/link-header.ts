/** RFC 8288 Link header → rel → URL (a rel may list several space-separated relation types). */
export function parseLinkHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '');
    if (!rel) continue;
    for (const name of rel[1]!.trim().split(/\s+/)) out[name.toLowerCase()] ??= match[1]!;
  }
  return out;
}
