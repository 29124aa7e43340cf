/**
 * An OAuth error answer (RFC 6749 §5.2 at the token endpoint, §4.1.2.1 at the authorization endpoint), thrown by the
 * checks and turned into a response at the route. invalid_client is 401; every other error is 400.
 */
export class OAuthProblem {
  readonly status: number;
  constructor(
    readonly error: string,
    readonly description: string,
    /** Extra response headers, e.g. WWW-Authenticate when the client tried HTTP Basic. */
    readonly headers: Record<string, string> = {},
  ) {
    this.status = error === 'invalid_client' ? 401 : 400;
  }

  get body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const missingParameter = (name: string) => new OAuthProblem('invalid_request', `Missing required parameter: ${name}`);
