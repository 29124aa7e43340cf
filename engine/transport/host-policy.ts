/**
 * Where a request whose host came from account context may go. Context is written by whoever owns an account,
 * so a value such as `127.0.0.1:6379` or `169.254.169.254` must not turn the engine into a proxy into the
 * operator's network. Checked twice: the literal host of the built URL, and every address DNS gives for it at
 * connect time (a public-looking name can resolve to 127.0.0.1). An account's own base_url is the operator's
 * setting and is not checked; neither is a host the operator lists in allowedHosts.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { UnimapError } from '../errors';

/** Names that reach the machine itself or a cloud metadata service without any address check seeing them. */
const BLOCKED_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);
/** Private-use and link-local name spaces: never a provider's public API. */
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.home.arpa', '.svc'];

/** IPv4 ranges that are not public unicast: this network, private, CGNAT, loopback, link-local, documentation, multicast, reserved. */
const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

export interface AllowedHost {
  hostname: string;
  /** Undefined: any port. */
  port: string | undefined;
}

/** Operator entries `host` or `host:port` (`[v6]:port` for IPv6), normalised as a URL would. An unreadable entry matches nothing. */
export function parseAllowedHosts(entries: readonly string[]): AllowedHost[] {
  const out: AllowedHost[] = [];
  for (const entry of entries) {
    const match = /^(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?$/.exec(entry.trim());
    if (!match) continue;
    try {
      out.push({ hostname: normaliseHostname(new URL(`http://${match[1]}`).hostname), port: match[2] === undefined ? undefined : String(Number(match[2])) });
    } catch {
      // not a host name: it can never match a URL, so the allow list fails closed
    }
  }
  return out;
}

export function isExplicitlyAllowed(url: URL, allowed: readonly AllowedHost[]): boolean {
  const hostname = normaliseHostname(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowed.some((entry) => entry.hostname === hostname && (entry.port === undefined || entry.port === port));
}

/** The literal check, before anything is sent. WHATWG URL parsing already turned `2130706433` or `0x7f.1` into `127.0.0.1`. */
export function assertPublicHost(url: URL): void {
  const hostname = normaliseHostname(url.hostname);
  const blocked = isIP(hostname) ? isBlockedAddress(hostname) : isBlockedName(hostname);
  if (blocked) throw hostNotAllowed(url.host);
}

/**
 * A dns lookup for connections to context-formed hosts: every address the name resolves to must be public,
 * so a name pointing at 127.0.0.1 or 169.254.169.254 fails before the socket connects (DNS rebinding included:
 * the address checked is the one connected to).
 */
export function createGuardedLookup(resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    if (isBlockedName(normaliseHostname(hostname))) {
      callback(hostNotAllowed(hostname), '', 0);
      return;
    }
    const all: LookupOptions = { ...options, all: true };
    resolve(hostname, all, (error, result) => {
      if (error) return callback(error, '', 0);
      const addresses = (Array.isArray(result) ? result : [{ address: result, family: isIP(result) }]) as LookupAddress[];
      if (addresses.some((a) => isBlockedAddress(a.address))) return callback(hostNotAllowed(hostname), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

export function isBlockedName(hostname: string): boolean {
  // A single label (`redis`, `vm`) is completed by search domains into the local network; public APIs always have a dot.
  if (!hostname.includes('.')) return true;
  return BLOCKED_NAMES.has(hostname) || BLOCKED_SUFFIXES.some((suffix) => hostname.endsWith(suffix));
}

/** True for any address that is not public unicast, IPv4 embedded in IPv6 included. Not an IP at all: true (fail closed). */
export function isBlockedAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = parseIpv4(plain);
  if (v4 !== undefined) return isBlockedV4(v4);
  const groups = parseIpv6(plain);
  if (!groups) return true;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const embedded = ((g6 << 16) >>> 0) + g7;
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(5) && (g5 === 0 || g5 === 0xffff)) return isBlockedV4(embedded); // ::/96 compatible and ::ffff:0:0/96 mapped (:: and ::1 fall in 0/8)
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return isBlockedV4(embedded); // ::ffff:0:a.b.c.d translated
  if (g0 === 0x64 && g1 === 0xff9b) return g2 !== 0 || g3 !== 0 || g4 !== 0 || g5 !== 0 || isBlockedV4(embedded); // NAT64, local-use NAT64
  if (g0 === 0x2002) return isBlockedV4(((g1 << 16) >>> 0) + g2); // 6to4 carries the IPv4 address
  if (g0 === 0x2001 && (g1 === 0 || g1 === 0xdb8)) return true; // Teredo, documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (AWS metadata fd00:ec2::254)
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  return false;
}

function isBlockedV4(value: number): boolean {
  return BLOCKED_V4.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((value & mask) >>> 0) === ((parseIpv4(base)! & mask) >>> 0);
  });
}

/** Dotted-decimal only: resolvers and WHATWG URL both hand over this form. */
function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function parseIpv6(text: string): number[] | undefined {
  if (isIP(text) !== 6) return undefined;
  let body = text.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (tail) {
    const v4 = parseIpv4(tail[1]!);
    if (v4 === undefined) return undefined;
    body = `${body.slice(0, -tail[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = body.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...(rest === undefined ? [] : Array<string>(missing).fill('0')), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function normaliseHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
}

function hostNotAllowed(host: string): UnimapError {
  return new UnimapError('UNIMAP_E_REQ_HOST_NOT_ALLOWED', `refusing to send to ${host}: a host formed from account context must be a public address (not loopback, private, link-local or metadata); an operator can list it in allowedHosts`, {
    details: { host },
  });
}
