import { isUnimapError, type UnimapError } from '../../index';

/**
 * One sentence telling a caller what to do next, added to error bodies as `insight` (the reference API's field):
 * which body fields or query parameters are missing, how long to wait when rate limited, what the provider said.
 * Built from the error's code and details only; messages and details are already free of secrets.
 */
export function insightFor(thrown: UnimapError, route: { category?: string | undefined; resource?: string | undefined }): string | undefined {
  const error = thrown as unknown;
  if (!isUnimapError(error)) return undefined; // narrows details to each code's shape below
  const where = route.category && route.resource ? `${route.category}/${route.resource}` : 'this resource';
  switch (error.code) {
    case 'UNIMAP_E_REQ_MISSING_FIELDS': {
      const details = error.details ?? [];
      const by = details[0]?.required_by;
      return `Add the required body field${details.length > 1 ? 's' : ''} ${list(details.map((d) => d.field))}${by ? ` (${by} requires ${details.length > 1 ? 'them' : 'it'})` : ''}; GET /unified/${where}/${by ?? '{integration}'}/meta/{method} lists every field it requires.`;
    }
    case 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS': {
      const details = error.details ?? [];
      return `Add the query parameter${details.length > 1 ? 's' : ''} ${list(details.map((d) => d.parameter))} (required by ${details[0]?.required_by ?? 'the integration'}), e.g. ?${details[0]?.parameter ?? 'name'}=…`;
    }
    case 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS':
      return `The integration cannot write ${list((error.details ?? []).map((d) => d.field))}; leave ${(error.details ?? []).length > 1 ? 'them' : 'it'} out, send provider-specific data in remote_data, or call without truto_strict_fields to have unsupported fields dropped with a warning.`;
    case 'UNIMAP_E_REQ_INVALID_BODY':
      return `Correct the body field${(error.details ?? []).length > 1 ? 's' : ''} ${list((error.details ?? []).map((d) => d.field))}; GET /unified/${where}/meta/{method} shows the accepted schema.`;
    case 'UNIMAP_E_REQ_INVALID_FILTER':
    case 'UNIMAP_E_REQ_UNSUPPORTED_FILTER':
      return `Remove or correct the filter${(error.details ?? []).length > 1 ? 's' : ''} ${list((error.details ?? []).map((d) => d.filter))}; the list meta (GET /unified/${where}/meta/list) names the filters and query parameters accepted.`;
    case 'UNIMAP_E_REQ_INVALID_CURSOR':
      return 'Pass next_cursor exactly as the previous page returned it, with the same integrated_account_id; an empty next_cursor asks for the first page.';
    case 'UNIMAP_E_REQ_ACCOUNT_NOT_FOUND':
      return 'Pass integrated_account_id of an account of this tenant (GET /integrated-accounts lists them).';
    case 'UNIMAP_E_AUTH_MISSING_CONTEXT':
    case 'UNIMAP_E_AUTH_INVALID_CONTEXT':
      return 'The integrated account\'s context is incomplete or invalid; PATCH /integrated-accounts/{id} with the corrected context.';
    case 'UNIMAP_E_REMOTE_RATE_LIMITED':
      return `The provider rate-limited this account; retry after ${error.retryAfterSeconds ?? 1} second${(error.retryAfterSeconds ?? 1) === 1 ? '' : 's'} (the Retry-After header).`;
    case 'UNIMAP_E_REMOTE_HTTP':
      return remoteInsight(error.remote?.status, error.message, error.details?.outcome);
    case 'UNIMAP_E_REMOTE_TIMEOUT':
    case 'UNIMAP_E_REMOTE_NETWORK':
      return error.details?.outcome === 'unknown'
        ? 'The provider may have applied this request before the connection failed; check before sending it again.'
        : 'The provider could not be reached in time; retry later.';
    case 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED':
      return 'This integration cannot do this; the message gives the provider\'s reason.';
    case 'UNIMAP_E_SERVER_UNAUTHORIZED':
      return 'Send Authorization: Bearer <api key>; create a key with `npx unimap keys create`.';
    case 'UNIMAP_E_SERVER_IDEMPOTENCY_MISMATCH':
      return 'This Idempotency-Key was used for another request; use a new key for a new request.';
    case 'UNIMAP_E_SERVER_IDEMPOTENCY_IN_PROGRESS':
      return 'The first request with this Idempotency-Key is still running; retry after Retry-After seconds to get its answer.';
    default:
      return undefined;
  }
}

function remoteInsight(status: number | undefined, message: string, outcome: string | undefined): string {
  const said = message.replace(/^[^:]*answered \d+(?: \[[^\]]*\])?: /, '');
  if (status === 401) return `The provider refused the account's credentials (401: ${said}); the account is marked needs_reauth until its context is updated.`;
  if (status === 403) return `The provider denied the request (403: ${said}); the account's credentials lack a permission or scope this call needs.`;
  if (status === 404) return `The provider has no such record (404: ${said}).`;
  if (status === 409) return `The provider refused the request as a conflict (409: ${said}), e.g. the record already exists; sending it again will not help.`;
  if (outcome === 'unknown') return `The provider failed (${status ?? 'no status'}: ${said}) after it may have applied the request; check before sending it again.`;
  return `The provider answered ${status ?? 'an error'}: ${said}`;
}

function list(items: string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}
