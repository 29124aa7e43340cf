import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Jamf Pro's Classic API for users: XML in and out, a bearer token (or Basic auth), a list of every user's id and
 * name with no paging, POST to /id/0 and PUT answering only <user><id>…</id></user> with 201, and errors as the
 * Classic API's HTML "Status page" (status in the first paragraph, the reason in the second).
 */
interface JamfSite {
  id: number;
  name: string;
}
interface JamfUser {
  id: number;
  name: string;
  full_name: string;
  email: string;
  email_address: string;
  phone_number: string;
  position: string;
  enable_custom_photo_url: boolean;
  custom_photo_url: string;
  sites: JamfSite[];
}

/** Sites the simulated instance has (-1 "None" is Jamf's "no site"). */
const SITES: JamfSite[] = [
  { id: 1, name: 'Paris' },
  { id: 2, name: 'London' },
];

const xmlParser = new XMLParser({ parseTagValue: false, trimValues: true });
const xmlBuilder = new XMLBuilder({ suppressEmptyNode: true });
const XML_TYPE = 'text/xml;charset=UTF-8';

/** The HTML page the Classic API (a Restlet server) answers every error with. */
export function statusPage(status: string, reason: string, section: string): string {
  return `<html>
<head>
   <title>Status page</title>
</head>
<body style="font-family: sans-serif;">
<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">${status}</p>
<p>${reason}</p>
<p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#${section}">here</a>.<br>
Please continue your visit at our <a href="/">home page</a>.
</p>
</body>
</html>
`;
}

const NOT_FOUND = statusPage('Not Found', 'The server has not found anything matching the request URI', 'sec10.4.5');
const conflict = (reason: string) => statusPage('Conflict', reason, 'sec10.4.10');

function sendXml(reply: FastifyReply, status: number, value: unknown): FastifyReply {
  return reply.code(status).type(XML_TYPE).send(`<?xml version="1.0" encoding="UTF-8"?>${xmlBuilder.build(value) as string}`);
}

function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html;charset=UTF-8').send(page);
}

/** A user as the Classic API renders it. */
function render(user: JamfUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    full_name: user.full_name,
    email: user.email,
    email_address: user.email_address,
    phone_number: user.phone_number,
    position: user.position,
    enable_custom_photo_url: user.enable_custom_photo_url,
    custom_photo_url: user.custom_photo_url,
    ldap_server: { id: -1, name: 'None' },
    extension_attributes: '',
    sites: user.sites.length > 0 ? { site: user.sites } : '',
    links: { computers: '', peripherals: '', mobile_devices: '', vpp_assignments: '', total_vpp_code_count: 0 },
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** <sites><site><id>1</id></site></sites> or <site><name>Paris</name></site>: matched by id, else by name. */
function sitesFrom(value: unknown): JamfSite[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return []; // <sites/> parses to ""
  const list = ([] as unknown[]).concat((value as { site?: unknown }).site ?? []);
  return list.flatMap((s) => {
    const site = s as { id?: unknown; name?: unknown };
    const found = SITES.find((k) => String(k.id) === text(site.id)) ?? SITES.find((k) => k.name === text(site.name));
    return found ? [found] : [];
  });
}

export const jamfProSimulator: ProviderSimulator = {
  name: 'jamf-pro',
  authenticate(request, credentials) {
    const header = request.headers.authorization ?? '';
    if (credentials['access_token'] && header === `Bearer ${credentials['access_token']}`) return null;
    if (credentials['username'] && header === `Basic ${Buffer.from(`${credentials['username']}:${credentials['password']}`).toString('base64')}`) return null;
    return {
      status: 401,
      headers: { 'content-type': 'text/html;charset=UTF-8' },
      body: statusPage('Unauthorized', 'The request requires user authentication', 'sec10.4.2'),
    };
  },
  contentParsers(app: FastifyInstance) {
    app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, xmlParser.parse(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as unknown as JamfUser[];
    const find = (id: string) => sim.store.get(id) as unknown as JamfUser | undefined;
    const nameTaken = (name: string, except?: JamfUser) => users().some((u) => u !== except && u.name.toLowerCase() === name.toLowerCase());

    app.get('/JSSResource/users', async (_request, reply) => {
      const list = users();
      return sendXml(reply, 200, { users: { size: list.length, user: list.map((u) => ({ id: u.id, name: u.name })) } });
    });

    app.get('/JSSResource/users/id/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      return user ? sendXml(reply, 200, { user: render(user) }) : sendPage(reply, 404, NOT_FOUND);
    });

    app.get('/JSSResource/users/email/:email', async (request, reply) => {
      const { email } = request.params as { email: string };
      const found = users().filter((u) => u.email.toLowerCase() === email.toLowerCase());
      if (found.length === 0) return sendPage(reply, 404, NOT_FOUND);
      return sendXml(reply, 200, { users: { size: found.length, user: found.map(render) } });
    });

    app.post('/JSSResource/users/id/:id', async (request, reply) => {
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      const name = text(input['name'])?.trim();
      if (!name) return sendPage(reply, 409, conflict('Error: Name is required'));
      if (nameTaken(name)) return sendPage(reply, 409, conflict('Error: Duplicate name'));
      const email = text(input['email']) ?? text(input['email_address']) ?? '';
      const id = sim.store.nextId('', true) as number;
      const user: JamfUser = {
        id,
        name,
        full_name: text(input['full_name']) ?? '',
        email,
        email_address: email,
        phone_number: text(input['phone_number']) ?? '',
        position: text(input['position']) ?? '',
        enable_custom_photo_url: text(input['enable_custom_photo_url']) === 'true',
        custom_photo_url: text(input['custom_photo_url']) ?? '',
        sites: sitesFrom(input['sites']) ?? [],
      };
      sim.store.insert(id, user as unknown as Record<string, unknown>);
      return sendXml(reply, 201, { user: { id } });
    });

    app.put('/JSSResource/users/id/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      if (!user) return sendPage(reply, 404, NOT_FOUND);
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      const name = text(input['name'])?.trim();
      if (input['name'] !== undefined && !name) return sendPage(reply, 409, conflict('Error: Name is required'));
      if (name && nameTaken(name, user)) return sendPage(reply, 409, conflict('Error: Duplicate name'));
      if (name) user.name = name;
      const email = text(input['email']) ?? text(input['email_address']);
      if (email !== undefined) user.email = user.email_address = email;
      for (const key of ['full_name', 'phone_number', 'position', 'custom_photo_url'] as const) {
        const value = text(input[key]);
        if (value !== undefined) user[key] = value;
      }
      const sites = sitesFrom(input['sites']);
      if (sites) user.sites = sites;
      return sendXml(reply, 201, { user: { id: user.id } });
    });

    app.delete('/JSSResource/users/id/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!find(id)) return sendPage(reply, 404, NOT_FOUND);
      sim.store.delete(id);
      return sendXml(reply, 200, { user: { id: Number(id) } });
    });
  },
};
