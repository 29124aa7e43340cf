import type { OAuth2Def, OAuthGrant } from '../definition';
import type { Evaluator } from './expression';
import type { Template } from './template';

/** integration.yaml `oauth2`, compiled: templates and expressions ready to render against an account's context. */
export interface CompiledOAuth2 {
  /** The grants declared, in the order the definition lists them (the first is an account's default). */
  grants: readonly OAuthGrant[];
  tokenUrl: Template;
  refreshUrl: Template | undefined;
  /** How the client authenticates at the token endpoint, per grant (refreshes use the authorization code grant's). */
  clientAuth: Record<OAuthGrant, 'body' | 'header'>;
  bodyFormat: 'form' | 'json';
  scopes: readonly string[];
  scopeSeparator: string;
  /** Extra parameters of a grant's first token request: the shared ones, then the grant's own. */
  tokenParams: Record<OAuthGrant, Record<string, Template>>;
  refreshParams: Record<string, Template>;
  defaultExpiresIn: number | undefined;
  refreshMarginSeconds: number;
  tokenError: Evaluator | undefined;
  contextFromToken: Record<string, Evaluator>;
  authorize: { url: Template; pkce: boolean; params: Record<string, Template> } | undefined;
  jwt: { issuer: Template; subject: Template | undefined; audience: Template | undefined; privateKey: Template; keyId: Template | undefined; lifetimeSeconds: number } | undefined;
}

/** What compiling one definition file offers (compile-registry's FileCompiler): positioned problems on failure. */
export interface DefinitionCompiler {
  expr(path: (string | number)[], text: string | undefined): Evaluator | undefined;
  template(path: (string | number)[], text: string): Template;
  templates(path: (string | number)[], map: Record<string, string> | undefined): Record<string, Template>;
}

const GRANTS: readonly OAuthGrant[] = ['authorization_code', 'client_credentials', 'jwt_bearer'];
const DEFAULT_MARGIN_SECONDS = 300;
const MAX_ASSERTION_SECONDS = 3600;

export function compileOAuth2(def: OAuth2Def, fc: DefinitionCompiler): CompiledOAuth2 {
  const at = (...path: (string | number)[]) => ['oauth2', ...path];
  const optional = (path: (string | number)[], text: string | undefined) => (text === undefined ? undefined : fc.template(path, text));
  const contextFromToken: Record<string, Evaluator> = {};
  for (const [key, text] of Object.entries(def.context_from_token ?? {})) {
    const evaluator = fc.expr(at('context_from_token', key), text);
    if (evaluator) contextFromToken[key] = evaluator;
  }
  const shared = fc.templates(at('token_params'), def.token_params);
  const code = def.authorization_code;
  const jwt = def.jwt_bearer;
  return {
    grants: Object.keys(def).filter((key): key is OAuthGrant => (GRANTS as readonly string[]).includes(key)),
    tokenUrl: fc.template(at('token_url'), def.token_url),
    refreshUrl: optional(at('refresh_url'), def.refresh_url),
    clientAuth: {
      authorization_code: def.client_auth ?? 'body',
      client_credentials: def.client_credentials?.client_auth ?? def.client_auth ?? 'body',
      jwt_bearer: def.client_auth ?? 'body',
    },
    bodyFormat: def.body_format ?? 'form',
    scopes: def.scopes ?? [],
    scopeSeparator: def.scope_separator ?? ' ',
    tokenParams: Object.fromEntries(GRANTS.map((grant) => [grant, { ...shared, ...fc.templates(at(grant, 'token_params'), def[grant]?.token_params) }])) as CompiledOAuth2['tokenParams'],
    refreshParams: fc.templates(at('refresh_params'), def.refresh_params),
    defaultExpiresIn: def.default_expires_in,
    refreshMarginSeconds: def.refresh_margin_seconds ?? DEFAULT_MARGIN_SECONDS,
    tokenError: fc.expr(at('token_error'), def.token_error),
    contextFromToken,
    authorize: code && {
      url: fc.template(at('authorization_code', 'authorize_url'), code.authorize_url),
      pkce: code.pkce ?? true,
      params: fc.templates(at('authorization_code', 'authorize_params'), code.authorize_params),
    },
    jwt: jwt && {
      issuer: fc.template(at('jwt_bearer', 'issuer'), jwt.issuer),
      subject: optional(at('jwt_bearer', 'subject'), jwt.subject),
      audience: optional(at('jwt_bearer', 'audience'), jwt.audience),
      privateKey: fc.template(at('jwt_bearer', 'private_key'), jwt.private_key),
      keyId: optional(at('jwt_bearer', 'key_id'), jwt.key_id),
      lifetimeSeconds: jwt.lifetime_seconds ?? MAX_ASSERTION_SECONDS,
    },
  };
}
