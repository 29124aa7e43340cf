import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Fault, ProviderSimulator, SimulatorState } from '../simulator';

/**
 * LastPass's Enterprise API: one endpoint, POST /enterpriseapi.php, whose JSON body names the command (getuserdata,
 * batchadd, updateuser, enableuser, disableuser, deluser) beside the company id and provisioning hash. Failures are
 * answered 200 with status FAIL. Users are keyed by username; getuserdata answers them keyed by a numeric user id.
 * A description cannot say a command endpoint, hence this simulator.
 */
type Row = Record<string, unknown>;
interface Command { cid?: unknown; provhash?: unknown; cmd?: unknown; data?: unknown }

const fail = (...reasons: string[]) => ({ status: 'FAIL', error: reasons });
const stamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
const bodyOf = (request: FastifyRequest): Command => (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Command;

/**
 * LastPass publishes no rate limit for the Enterprise API, nor what it answers past one: this is an assumption, the
 * HTTP 429 of RFC 6585 without Retry-After and with LastPass's usual FAIL body.
 */
export function lastpassRateLimited(): Fault {
  return { status: 429, body: fail('Too many requests') };
}

export const lastpassSimulator: ProviderSimulator = {
  name: 'lastpass',
  authenticate(request, credentials) {
    const { cid, provhash } = bodyOf(request);
    if (String(cid) === credentials['cid'] && provhash === credentials['provhash']) return null;
    return { status: 200, body: fail('Authorization Error') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    let nextUserId = 100;
    const user = (username: unknown) => (typeof username === 'string' ? sim.store.get(username.toLowerCase()) : undefined);
    const usernames = (data: unknown) => (Array.isArray(data) ? data.filter((u): u is string => typeof u === 'string') : []);

    const getuserdata = (data: unknown) => {
      const asked = (data as Row | undefined)?.['username'];
      const rows = asked === undefined ? sim.store.all() : [user(asked)].filter((u): u is Row => u !== undefined);
      const groups: Record<string, string[]> = {};
      for (const row of rows) for (const group of row['groups'] as string[]) (groups[group] ??= []).push(row['username'] as string);
      // PHP answers an empty associative array as []
      const keyed = Object.fromEntries(rows.map((row) => [String(row['userid']), Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'userid'))]));
      return { total: rows.length, count: rows.length, Users: rows.length ? keyed : [], Groups: rows.length ? groups : [], Invited: [] };
    };
    const batchadd = (data: unknown) => {
      const rows = (Array.isArray(data) ? data : []) as Row[];
      const problems = rows.flatMap((row) => (typeof row['username'] !== 'string' || !row['username'] ? ['username is required']
        : user(row['username']) ? [`${row['username']}: user already exists in this enterprise`] : []));
      if (problems.length) return { status: 'FAIL', errors: problems };
      for (const row of rows) {
        const username = (row['username'] as string).toLowerCase();
        sim.store.insert(username, {
          userid: nextUserId++, username, fullname: row['fullname'] ?? '', mpstrength: '0', created: stamp(), last_pw_change: '',
          last_login: '', neverloggedin: true, disabled: false, admin: false, totalscore: '0', multifactor: '',
          sites: 0, notes: 0, formfills: 0, applications: 0, attachments: 0, password_reset_required: row['password_reset_required'] ?? true,
          groups: Array.isArray(row['groups']) ? row['groups'] : [],
        });
      }
      return { status: 'OK' };
    };
    const updateuser = (data: unknown) => {
      const found = user((data as Row | undefined)?.['username']);
      if (!found) return fail(`User does not exist: ${String((data as Row | undefined)?.['username'])}`);
      for (const key of ['fullname', 'duousername', 'securidusername']) if (typeof (data as Row)[key] === 'string') found[key] = (data as Row)[key];
      return { status: 'OK' };
    };
    const setDisabled = (data: unknown, disabled: boolean) => {
      const names = usernames(data);
      const missing = names.filter((name) => !user(name));
      if (missing.length) return fail(...missing.map((name) => `User does not exist: ${name}`));
      const changed = names.filter((name) => user(name)!['disabled'] !== disabled);
      for (const name of changed) user(name)!['disabled'] = disabled;
      const unchanged = names.filter((name) => !changed.includes(name));
      return { status: 'success', [disabled ? 'disabled_users' : 'enabled_users']: changed, ...(unchanged.length ? { unchanged_users: unchanged } : {}) };
    };
    const deluser = (data: unknown) => {
      const { username, deleteaction } = (data ?? {}) as Row;
      const found = user(username);
      if (!found) return fail(`User does not exist: ${String(username)}`);
      // 0 deactivates (the user stays, disabled); 1 removes from the company; 2 deletes the account
      if (Number(deleteaction) === 0) found['disabled'] = true;
      else sim.store.delete(found['username'] as string);
      return { status: 'OK' };
    };

    app.post('/enterpriseapi.php', async (request) => {
      const { cmd, data } = bodyOf(request);
      switch (cmd) {
        case 'getuserdata': return getuserdata(data);
        case 'batchadd': return batchadd(data);
        case 'updateuser': return updateuser(data);
        case 'enableuser': return setDisabled(data, false);
        case 'disableuser': return setDisabled(data, true);
        case 'deluser': return deluser(data);
        default: return fail(`Unknown command: ${String(cmd)}`);
      }
    });
  },
};
