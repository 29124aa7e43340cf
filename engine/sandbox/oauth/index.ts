export { startOAuthProvider } from './provider';
export { JWT_BEARER } from './jwt-bearer';
export { protectedBy } from './protected-resource';
export type {
  HeldRequests,
  IntrospectedToken,
  OAuthClient,
  OAuthProviderOptions,
  RunningOAuthProvider,
  TokenFault,
  TokenRequestInfo,
  TokenRequestLog,
} from './types';
