// A separate process (another instance) that takes an advisory lock, says so on stdout, and holds it until killed.
import { parseDatabaseUrl } from '../../engine/server/store/database-url';
import { openPostgres } from '../../engine/server/store/pg-client';

async function holdLock(): Promise<void> {
  const db = await openPostgres({ url: parseDatabaseUrl(process.env['LOCK_DATABASE_URL']!) });
  await db.withAdvisoryLock(process.env['LOCK_KEY']!, async () => {
    process.stdout.write('held\n');
    await new Promise(() => undefined);
  });
}

holdLock().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
