/**
 * The deadline of one unified call, across its steps, pages of side loads and retries. Each remote request
 * gets the smaller of its integration's timeout_ms and what is left of the call; a retry only starts when
 * what is left still covers its wait and a useful attempt.
 */
import { UnimapError, isUnimapError } from '../errors';
import { copyOutcomeMarks, markRequestWritten } from './outcome';
import type { RemoteRequest } from './transport';

export interface CallDeadline {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly totalMs: number;
}

/** Below this, an attempt would only time out: waiting for it is not worth starting. */
const MIN_ATTEMPT_MS = 250;

export function startDeadline(totalMs: number): CallDeadline {
  return { at: Date.now() + totalMs, totalMs };
}

export function remainingMs(deadline: CallDeadline): number {
  return deadline.at - Date.now();
}

/** Whether waiting `waitMs` still leaves time for another attempt. */
export function leavesTimeFor(deadline: CallDeadline | undefined, waitMs: number): boolean {
  return deadline === undefined || remainingMs(deadline) - waitMs >= MIN_ATTEMPT_MS;
}

/** The request with its timeout cut to what is left of the call; nothing is sent once the call is out of time. */
export function withinDeadline(request: RemoteRequest, deadline: CallDeadline | undefined): RemoteRequest {
  if (deadline === undefined) return request;
  const left = remainingMs(deadline);
  if (left <= 0) throw markRequestWritten(callDeadlineError(request, deadline, 'before the request was sent'), false);
  return left < request.timeoutMs ? { ...request, timeoutMs: Math.ceil(left) } : request;
}

/** Send one request within the call's deadline; a timeout caused by the call's deadline says so. */
export async function sendWithinDeadline<T>(send: (request: RemoteRequest) => Promise<T>, request: RemoteRequest, deadline: CallDeadline | undefined): Promise<T> {
  const bounded = withinDeadline(request, deadline);
  try {
    return await send(bounded);
  } catch (error) {
    if (deadline && bounded !== request && isUnimapError(error) && error.code === 'UNIMAP_E_REMOTE_TIMEOUT') {
      throw copyOutcomeMarks(error, callDeadlineError(request, deadline, 'while waiting for the answer', error));
    }
    throw error;
  }
}

function callDeadlineError(request: RemoteRequest, deadline: CallDeadline, when: string, cause?: UnimapError): UnimapError {
  return new UnimapError('UNIMAP_E_REMOTE_TIMEOUT', `the call deadline of ${deadline.totalMs} ms (callDeadlineMs, across steps and retries) ran out ${when} to ${origin(request.url)}`, {
    cause: cause ?? 'call deadline',
  });
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the remote API';
  }
}
