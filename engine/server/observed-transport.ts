import type { Transport } from '../index';
import { requestStates } from './request-state';

/** The engine's transport, noting on the request being served how many remote requests it made and the last status. */
export function observedTransport(inner: Transport): Transport {
  const note = (status: number) => {
    const state = requestStates.getStore();
    if (!state) return;
    state.remoteCalls += 1;
    state.remoteStatus = status;
  };
  return {
    async send(request) {
      const response = await inner.send(request);
      note(response.status);
      return response;
    },
    async stream(request) {
      const response = await inner.stream(request);
      note(response.status);
      return response;
    },
  };
}
