/** The unified API as an HTTP service, over createEngine. Importable as `unimap/server`. */
export { createServer } from './create-server';
export type { ServerOptions, UnimapServer } from './create-server';
export { openServerStore } from './store/open-store';
export type { ServerStore, StoreOptions } from './store/open-store';
export type { SqlClient } from './store/sql-client';
export { MIGRATIONS, migrate } from './store/migrations';
export type { ReloadResult } from './definitions';
