/** The public shapes of the OAuth 2.0 authorization server simulator. */

export interface OAuthClient {
  client_id: string;
  /** Confidential clients have one; a client without it is public (authenticates with client_id alone). */
  client_secret?: string;
  /** Exact match required for authorization_code. */
  redirect_uris?: string[];
  /** The scopes this client may be granted; absent: any. A scope outside the list is invalid_scope. */
  scopes?: string[];
  /** For the JWT bearer grant: the service account's public key (PEM SPKI or a jose KeyLike / JWK) checking RS256 assertions whose iss is this client_id (Google: the service account email). */
  jwt_public_key?: string | object;
}

/** What a function in `extraTokenFields` learns about the token request it answers. */
export interface TokenRequestInfo {
  client_id?: string;
  /** The request's parameters, as sent. */
  params: Record<string, string>;
}

export interface OAuthProviderOptions {
  clients: OAuthClient[];
  /** Route paths (Fastify patterns, so '/:tenant/oauth2/v2.0/token' works for Entra ID). Defaults '/authorize' and '/token'. */
  paths?: { authorize?: string; token?: string };
  /** How the client must authenticate at the token endpoint: 'header' (HTTP Basic), 'body' (client_id/client_secret params), 'either' (default). */
  clientAuth?: 'header' | 'body' | 'either';
  /** Request body formats accepted at the token endpoint; default ['form'] (application/x-www-form-urlencoded). 'json' accepts application/json. */
  bodyFormats?: Array<'form' | 'json'>;
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Leave expires_in out of token answers (Salesforce does). */
  omitExpiresIn?: boolean;
  /** Extra fields in every token answer, e.g. { instance_url: 'https://…', id: '…' } for Salesforce; a function gets the grant type (as sent) and the request. */
  extraTokenFields?: Record<string, unknown> | ((grant: string, request: TokenRequestInfo) => Record<string, unknown>);
  refreshTokens?: {
    /** Issue a new refresh token on every refresh (single-use, rotating); default false (the same refresh token stays valid and refresh answers omit refresh_token). */
    rotate?: boolean;
    /** With rotate: a refresh token used a second time revokes the whole token family (every access and refresh token descended from the same authorization), answering invalid_grant, as Okta/Auth0/Zoom do. Default true when rotate. */
    reuseDetection?: boolean;
    /** With rotate: a just-rotated refresh token may still be used for this many seconds (Okta's grace period, Auth0's reuse interval); default 0. Only the latest rotated token has it, never an older generation. */
    graceSeconds?: number;
    /** Refresh tokens expire this long after issue (absent: never). */
    ttlSeconds?: number;
  };
  /** Grant type names that are provider aliases of a standard grant, e.g. Zoom S2S { account_credentials: 'client_credentials' } (Zoom requires an account_id param). */
  grantAliases?: Record<string, 'client_credentials'>;
  /** Params a grant (named as sent) must carry, e.g. { client_credentials: ['scope'] } for Entra ID, { account_credentials: ['account_id'] } for Zoom. */
  requiredParams?: Record<string, string[]>;
  /** PKCE required for authorization_code (S256 and plain supported); default false, but a code issued with a challenge always requires the verifier. */
  requirePkce?: boolean;
  /** JWT bearer: the audience the assertion must name (Google: 'https://oauth2.googleapis.com/token'); default: the token URL as requested. Max assertion lifetime 3600 s. */
  jwtAudience?: string;
  /** The user the authorize endpoint consents as (auto-consent, no UI); default 'user-1'. */
  subject?: string;
  /** The simulator's clock in epoch milliseconds (default Date.now): tests move it to expire codes, tokens and assertions without waiting. */
  now?: () => number;
}

export interface TokenRequestLog {
  /** As sent (an alias stays its alias name); '' when missing. */
  grant_type: string;
  client_id?: string;
  status: number;
  error?: string;
  /** Epoch milliseconds, by the simulator's clock, when the answer was made. */
  at: number;
  /** The client had closed its connection before the answer (set only then); what the request did was still committed. */
  abandoned?: true;
}

export interface IntrospectedToken {
  client_id: string;
  subject?: string;
  scope?: string;
  /** One id per authorization: every token descended from the same code, seeding or assertion shares it. */
  family: string;
}

export interface TokenFault {
  status: number;
  /** An object is sent as JSON, a string as is; absent: an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface HeldRequests {
  /** Process the held requests in arrival order and stop holding. */
  release(): void;
  /** How many requests are waiting. */
  waiting(): number;
  /** How many of the waiting requests' clients have already closed their connections. */
  abandoned(): number;
}

export interface RunningOAuthProvider {
  /** Origin, http://127.0.0.1:port. */
  url: string;
  /** url + authorize path (for a templated path, the caller substitutes). */
  authorizeUrl: string;
  tokenUrl: string;
  /** The token requests answered so far, in order (the tests count refreshes with this). */
  tokenRequests: TokenRequestLog[];
  /** How many refresh_token grants were answered 200. */
  refreshCount(): number;
  /** What an access token stands for, or null when unknown, expired or revoked — what a resource server simulator calls to authenticate a Bearer token. */
  introspect(accessToken: string): IntrospectedToken | null;
  /** Make every access token issued so far expire now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Issue tokens directly (seeding an account as if it had connected earlier): an access+refresh token pair for a client, optionally already expired (then expires_in is 0). */
  issue(client_id: string, options?: { scope?: string; expired?: boolean; subject?: string }): { access_token: string; refresh_token: string; expires_in: number };
  /** Revoke a token family (as an admin would), by any token of it (access token, refresh token or the code it came from). */
  revoke(token: string): void;
  /** Hold token-endpoint requests: they are received but not processed until release() (processing then happens as if just received). Used to kill a client while its refresh is in flight. */
  hold(): HeldRequests;
  /** Answer the next token request with this instead (e.g. { status: 503 } or { status: 400, body: { error: 'invalid_grant' } }). */
  failNext(fault: TokenFault): void;
  close(): Promise<void>;
}
