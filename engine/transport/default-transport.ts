import type { AxiosInstance } from 'axios';
import type * as AxiosTransportModule from './transport';
import type { AxiosTransportOptions, Transport } from './transport';

/**
 * `createAxiosTransport`, with axios loaded when the first one is made: an engine given its own transport (a
 * replay in tests, a custom client) never loads axios, which is a large share of a cold start.
 */
export function createAxiosTransport(instance?: AxiosInstance, options?: AxiosTransportOptions): Transport {
  const loaded = require('./transport') as typeof AxiosTransportModule;
  return loaded.createAxiosTransport(instance, options);
}
