/** The public API of unimap. Everything importable is listed here. */
export { createEngine, loadRegistry } from './engine';
export type { Engine, EngineOptions, ListResultFor, RecordResultFor } from './engine';
export type { CallOptions, CallQuery, CallOutcome, ListResult, RawResult, StreamResult, UnifiedCall, UnifiedRecord } from './types';
export { UnimapError, isUnimapError, ERROR_CATALOGUE } from './errors';
export type { UnimapErrorCode, SourcePosition, RemoteFailure } from './errors';
export { MemoryAccountStore, FileAccountStore } from './accounts/account-store';
export type { AccountStore, IntegratedAccount } from './accounts/account-store';
export type { AccountOverrides, MethodOverride } from './accounts/account-overrides';
export { createAxiosTransport } from './transport/transport';
export type { Transport, RemoteRequest, RemoteResponse, StreamedResponse, AxiosTransportOptions } from './transport/transport';
export { compileRegistry } from './compile/compile-registry';
export type { Registry } from './compile/compiled';
export { compileExpression, compilationStats, registerPrecompiled } from './jsonata/expression';
export type { CompilationStats, CompileOptions, MappingExpression } from './jsonata/expression';
export { MAPPING_FUNCTIONS } from './jsonata/functions';
export type { ResponseFormat } from './request/query-options';
export type { MapResponseInput } from './response/map-response';
