/** A sandbox account as the banner and callers see it. */
export interface SandboxAccount {
  id: string;
  integration: string;
  /** The origin of the account's simulator. */
  simulator: string;
  /** The resource a list call tries (category/resource) and the unified query that list needs. */
  resource: string;
  listQuery: Record<string, unknown>;
}

export interface BannerFacts {
  url: string;
  key: string;
  tenant: string;
  data: string;
  accounts: readonly SandboxAccount[];
  /** Integrations served without an account, each with its reason. */
  skipped: readonly string[];
  startedInMs: number;
}

/** The unified list path of an account, with the query its list needs. */
export function listPath(account: SandboxAccount): string {
  const query = new URLSearchParams({ integrated_account_id: account.id });
  for (const [name, value] of Object.entries(account.listQuery)) query.set(name, String(value));
  return `/unified/${account.resource}?${query.toString()}`;
}

export function createUserCurl(url: string, key: string, accountId: string): string {
  const body = JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com', is_primary: true }] });
  return [
    `curl -X POST '${url}/unified/user-directory/users?integrated_account_id=${accountId}' \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

/**
 * What `unimap serve --sandbox` prints: the key, the accounts as a count and the call that lists them (one line
 * each would bury the key under fifty lines), a create to paste and the list that shows it.
 */
export function sandboxBanner(facts: BannerFacts, create: string | undefined, example: SandboxAccount | undefined): string {
  const { url, key } = facts;
  const auth = `-H 'Authorization: Bearer ${key}'`;
  const lines = [
    `unimap sandbox on ${url} (data: ${facts.data}; started in ${(facts.startedInMs / 1000).toFixed(1)} s)`,
    '',
    `API key (tenant "${facts.tenant}", shown once): ${key}`,
    `${facts.accounts.length} accounts, one per integration, each on its own provider simulator: sandbox-<integration>`,
    ...wrap(facts.accounts.map((a) => a.integration), 110).map((line) => `  ${line}`),
    `See them: curl '${url}/integrated-accounts' ${auth}`,
  ];
  if (facts.skipped.length > 0) lines.push(`Not in the sandbox: ${facts.skipped.join('; ')}`);
  if (create !== undefined) lines.push('', 'Create a user in the Okta simulator:', '', create);
  if (example !== undefined) lines.push('', `${create === undefined ? 'Try a list' : 'Then list them'}: curl '${url}${listPath(example)}' ${auth}`);
  lines.push(`The API: ${url}/openapi.json · Ctrl-C stops everything.`);
  return lines.join('\n');
}

/** Words joined by ', ' into lines of at most `width` characters. */
function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [index, word] of words.entries()) {
    const piece = index < words.length - 1 ? `${word},` : word;
    if (line !== '' && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else line = line === '' ? piece : `${line} ${piece}`;
  }
  return line === '' ? lines : [...lines, line];
}
