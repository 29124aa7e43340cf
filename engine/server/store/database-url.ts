import { UnimapError } from '../../index';

/** A PostgreSQL connection URL taken apart: what the pool connects with, the schema, and what must never be printed. */
export interface DatabaseUrl {
  /** For pg, without the `schema` and `options` parameters (the pool passes those itself). */
  connectionString: string;
  /** The URL's own `options` parameter (server settings such as `-c statement_timeout=5000`), kept beside the schema's. */
  serverOptions: string | undefined;
  /** The schema every connection works in (its search_path); undefined leaves the server's default. */
  schema: string | undefined;
  /** The URL with its password replaced by ***, for messages and the start-up line. */
  redacted: string;
  /** Every spelling of the password a message could hold, so scrubbing catches each. */
  secrets: string[];
}

export const REDACTED = '***';
/** Lower-case only: search_path and CREATE SCHEMA then agree on the name without any quoting subtleties. */
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Query parameters pg reads as passwords. */
const PASSWORD_PARAMS = ['password', 'sslpassword'];

/** `text` as a PostgreSQL URL; `schema` (an option) wins over the URL's `schema` parameter. */
export function parseDatabaseUrl(text: string, schema?: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Neither the text nor the parser's error (which quotes it) goes into the message: it may hold a password.
    throw new UnimapError('UNIMAP_E_SERVER_STORE', 'the database URL is not a valid URL (it is not repeated here, as it may hold a password); expected postgres://user:password@host:5432/database');
  }
  const secrets = passwordsOf(url);
  const redacted = redactUrl(url);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UnimapError('UNIMAP_E_SERVER_STORE', `the database URL must start with postgres:// or postgresql://; got ${redacted}`);
  }
  const chosenSchema = schema ?? url.searchParams.get('schema') ?? undefined;
  if (chosenSchema !== undefined) checkSchemaName(chosenSchema);
  const serverOptions = url.searchParams.get('options') ?? undefined;
  let connectionString = text;
  if (url.searchParams.has('schema') || url.searchParams.has('options')) {
    url.searchParams.delete('schema');
    url.searchParams.delete('options'); // pg lets the URL's parameters override the pool's, so the pool passes them merged
    connectionString = url.href;
  }
  return { connectionString, serverOptions, schema: chosenSchema, redacted, secrets };
}

/** A schema name used in SQL and in a connection option: a plain identifier or nothing. */
export function checkSchemaName(name: string): void {
  if (!PLAIN_IDENTIFIER.test(name)) {
    throw new UnimapError('UNIMAP_E_SERVER_STORE', `the database schema ${JSON.stringify(name)} is not a plain identifier: use 1 to 63 lower-case letters, digits and underscores, not starting with a digit`);
  }
}

/** A checked name, quoted anyway, so the SQL stays right whatever the check allows later. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `text` with every spelling of the password replaced by ***. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join(REDACTED), text);
}

function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = REDACTED;
  for (const name of PASSWORD_PARAMS) if (copy.searchParams.has(name)) copy.searchParams.set(name, REDACTED);
  // URLSearchParams writes * as %2A; the redaction reads better as written.
  return copy.href.replace(/%2A%2A%2A/g, REDACTED);
}

/** The password as written (percent-encoded) and as meant, from the user part and from password parameters; longest first. */
function passwordsOf(url: URL): string[] {
  const spellings = new Set<string>();
  const add = (value: string) => {
    if (value === '') return;
    spellings.add(value);
    spellings.add(encodeURIComponent(value));
    try {
      spellings.add(decodeURIComponent(value));
    } catch {
      // not percent-encoded text: the raw spelling is there already
    }
  };
  add(url.password);
  for (const name of PASSWORD_PARAMS) for (const value of url.searchParams.getAll(name)) add(value);
  return [...spellings].sort((a, b) => b.length - a.length);
}
