/**
 * Hand-written TypeScript versions of shipped mappings: the speed a mapping could have if written by hand
 * (same engine functions, same output for the fixture records).
 */
import { firstNonEmpty, joinNonEmpty, mapValues, primaryEmail, removeEmpty, str, toBool, toIso } from '../engine/jsonata/functions';

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** `out[key] = value`, leaving the key out when the value is undefined (as a JSONata object constructor does). */
const setDefined = (out: Rec) => (key: string, value: unknown): void => {
  if (value !== undefined) out[key] = value;
};

const OKTA_STATUSES: Rec = {
  ACTIVE: 'active', RECOVERY: 'active', PASSWORD_EXPIRED: 'active', LOCKED_OUT: 'active',
  STAGED: 'invited', PROVISIONED: 'invited', SUSPENDED: 'inactive', DEPROVISIONED: 'deleted',
};

/** mappings/okta/user-directory/users.yaml `list.response`. */
export function oktaUser(u: Rec): Rec {
  const p = obj(u.profile) ?? {};
  const out: Rec = {};
  const set = setDefined(out);
  set('id', str(u.id));
  set('first_name', str(p.firstName));
  set('last_name', str(p.lastName));
  set('name', firstNonEmpty(str(p.displayName), joinNonEmpty([p.firstName, p.lastName].filter((v) => v !== undefined))));
  set('username', str(p.login));
  const emails: Rec[] = [];
  if (truthy(p.email)) emails.push({ email: p.email, type: 'work', is_primary: true });
  if (truthy(p.secondEmail)) emails.push({ email: p.secondEmail, type: 'other', is_primary: false });
  out.emails = emails;
  const phones: Rec[] = [];
  if (truthy(p.primaryPhone)) phones.push({ number: p.primaryPhone, type: 'phone' });
  if (truthy(p.mobilePhone)) phones.push({ number: p.mobilePhone, type: 'mobile' });
  out.phones = phones;
  set('status', mapValues(u.status, OKTA_STATUSES));
  set('title', str(p.title));
  set('user_type', str(p.userType));
  set('timezone', str(p.timezone));
  if (truthy(p.preferredLanguage)) out.languages = [p.preferredLanguage];
  set('created_at', toIso(u.created));
  set('updated_at', toIso(u.lastUpdated));
  set('last_login_at', toIso(u.lastLogin));
  set('status_changed_at', toIso(u.statusChanged));
  set('activated_at', toIso(u.activated));
  return out;
}

/** mappings/activecampaign/user-directory/users.yaml `list.response`. */
export function activeCampaignUser(u: Rec): Rec {
  const out: Rec = {};
  const set = setDefined(out);
  set('id', str(u.id));
  set('first_name', str(u.firstName));
  set('last_name', str(u.lastName));
  set('name', joinNonEmpty([u.firstName, u.lastName].filter((v) => v !== undefined)));
  set('username', str(u.username));
  out.emails = truthy(str(u.email)) ? [{ email: u.email, type: 'work', is_primary: true }] : [];
  out.phones = truthy(str(u.phone)) ? [{ number: u.phone, type: 'phone' }] : [];
  out.status = 'active';
  set('is_2fa_enabled', toBool(u.mfaEnabled));
  set('timezone', str(u.localZoneid));
  if (truthy(str(u.lang))) out.languages = [u.lang];
  set('created_at', toIso(u.cdate));
  set('updated_at', toIso(u.udate));
  return out;
}

/** mappings/google-workspace/user-directory/users.yaml `list.response`: a lambda, filters and mapped arrays. */
export function googleUser(u: Rec): Rec {
  const name = obj(u.name) ?? {};
  const primary = str(u.primaryEmail);
  const lp = primary?.toLowerCase();
  const typeOf = (e: Rec | undefined) => (e === undefined ? undefined : e.type === 'custom' ? str(e.customType) : str(e.type));
  const loginTime = toIso(u.lastLoginTime);
  const out: Rec = {};
  const set = setDefined(out);
  set('id', str(u.id));
  set('first_name', str(name.givenName));
  set('last_name', str(name.familyName));
  set('name', firstNonEmpty(str(name.fullName), str(name.displayName), joinNonEmpty([name.givenName, name.familyName].filter((v) => v !== undefined))));
  const emails: Rec[] = [];
  const entries = list(u.emails) as Rec[];
  if (primary) {
    const own = entries.find((e) => typeof e.address === 'string' && e.address.toLowerCase() === lp);
    emails.push({ email: primary, type: firstNonEmpty(typeOf(own), 'work'), is_primary: true });
  }
  for (const e of entries) {
    if (e.address !== undefined && (lp ? typeof e.address === 'string' && e.address.toLowerCase() !== lp : true)) {
      emails.push({ email: e.address, type: typeOf(e), is_primary: false });
    }
  }
  out.emails = emails;
  out.phones = (list(u.phones) as Rec[]).filter((p) => p.value !== undefined && p.value !== '').map((p) => ({ number: str(p.value), type: typeOf(p) }));
  const organizations = list(u.organizations) as Rec[];
  set('title', firstNonEmpty(str(organizations.find((o) => o.primary === true)?.title), str(organizations[0]?.title)));
  out.status = u.deletionTime !== undefined && u.deletionTime !== null ? 'deleted' : toBool(u.suspended) === true || toBool(u.archived) === true ? 'inactive' : 'active';
  set('is_2fa_enabled', toBool(u.isEnrolledIn2Sv));
  set('avatar', str(u.thumbnailPhotoUrl));
  out.languages = (list(u.languages) as Rec[]).map((l) => firstNonEmpty(l.languageCode, l.customLanguage)).filter((v) => v !== undefined);
  set('created_at', toIso(u.creationTime));
  if (loginTime && loginTime !== '1970-01-01T00:00:00.000Z') out.last_login_at = loginTime;
  return out;
}

/** mappings/okta/user-directory/users.yaml `create.body` (a group without an id is refused there before this point). */
export function oktaCreateBody(b: Rec): Rec {
  const emails = (Array.isArray(b.emails) ? b.emails : b.emails === undefined ? [] : [b.emails]) as Rec[];
  const primary = primaryEmail(b.emails);
  const second = emails.filter((e) => e.is_primary !== true).filter((e) => e.email !== primary)[0]?.email;
  const phones = (Array.isArray(b.phones) ? b.phones : b.phones === undefined ? [] : [b.phones]) as Rec[];
  const profile = removeEmpty({
    firstName: b.first_name,
    lastName: b.last_name,
    displayName: b.name,
    email: primary,
    secondEmail: second,
    login: firstNonEmpty(b.username, primary),
    mobilePhone: phones.filter((p) => p.type === 'mobile')[0]?.number,
    primaryPhone: phones.filter((p) => p.type !== 'mobile')[0]?.number,
    title: b.title,
    timezone: b.timezone,
    preferredLanguage: list(b.languages)[0],
    userType: b.user_type,
  });
  const out: Rec = {};
  if (profile !== undefined) out.profile = profile;
  if (truthy(b.password)) out.credentials = { password: { value: b.password } };
  const groups = list(b.groups) as Rec[];
  if (groups.length > 0) out.groupIds = groups.map((g) => g.id);
  return out;
}

export const HANDWRITTEN: Record<string, (record: Rec) => Rec> = {
  okta: oktaUser,
  activecampaign: activeCampaignUser,
  'google-workspace': googleUser,
};
