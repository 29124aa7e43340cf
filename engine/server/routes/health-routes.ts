import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context';

/**
 * /health: the process answers (liveness). /ready: definitions are loaded, the store answers and the server is not
 * closing (readiness); a reload that failed is reported while the last good definitions keep serving.
 */
export function registerHealthRoutes(app: FastifyInstance, context: ServerContext, isClosing: () => boolean): void {
  const open = { config: { public: true } }; // no API key: probes and load balancers call these
  app.get('/health', open, async () => ({ status: 'ok' }));
  app.get('/ready', open, async (_request, reply) => {
    const { definitions } = context;
    const reload = definitions.lastReload;
    const body = {
      definitions: {
        integrations: definitions.registry.integrations.size,
        loaded_at: definitions.loadedAt,
        ...(reload && !reload.ok ? { last_reload_error: { at: reload.at, code: reload.error.code, message: reload.error.message } } : {}),
      },
    };
    if (isClosing()) return reply.code(503).header('retry-after', '1').send({ status: 'closing', ...body });
    try {
      await context.store.db.query('SELECT 1');
    } catch {
      return reply.code(503).header('retry-after', '1').send({ status: 'store unavailable', ...body });
    }
    return { status: 'ready', ...body };
  });
}
