import { loadRegistry } from '../../engine';

/**
 * The reference product's page for POST /unified/user-directory/users (seed 001) states, per unified field, which of
 * ActiveCampaign, Google Workspace, Okta and Salesforce require and support it, for the request and the response.
 * That table is a floor: a definition supports at least those fields (more where the provider's API takes them,
 * such as Okta's password and title) and requires exactly those (requiring more would refuse bodies the reference
 * product accepts).
 */
const SEED = {
  activecampaign: {
    required: ['name', 'emails', 'password', 'username', 'group'],
    supported: ['name', 'emails', 'password', 'username', 'group'],
    response: ['id', 'first_name', 'last_name', 'name', 'username', 'emails', 'phones', 'status', 'is_2fa_enabled', 'timezone', 'languages'],
  },
  'google-workspace': {
    required: ['password', 'first_name', 'last_name'],
    supported: ['emails', 'password', 'first_name', 'last_name'],
    response: ['id', 'first_name', 'last_name', 'name', 'emails', 'phones', 'status', 'is_2fa_enabled', 'avatar', 'languages', 'created_at', 'last_login_at'],
  },
  okta: {
    required: [],
    supported: ['emails', 'username', 'first_name', 'last_name', 'phones'],
    response: ['id', 'first_name', 'last_name', 'name', 'username', 'emails', 'phones', 'status', 'timezone', 'languages', 'created_at', 'updated_at', 'last_login_at', 'status_changed_at', 'activated_at'],
  },
  salesforce: {
    required: ['emails', 'first_name', 'last_name', 'roles', 'timezone'],
    supported: ['emails', 'username', 'first_name', 'last_name', 'phones', 'roles', 'timezone', 'languages'],
    response: ['id', 'first_name', 'last_name', 'name', 'username', 'emails', 'phones', 'status', 'roles', 'avatar', 'timezone', 'languages', 'bio', 'created_at', 'updated_at', 'last_login_at'],
  },
};

const registry = loadRegistry();
const sorted = (list: readonly string[]) => [...list].sort();
/** The seed's fields the definition does not declare: empty when the definition declares at least the seed's. */
const missing = (declared: readonly string[] | undefined, seed: readonly string[]) =>
  declared ? seed.filter((field) => !declared.includes(field)) : ['<missing definition>'];

describe.each(Object.entries(SEED))('%s create covers the seed page', (integration, seed) => {
  const method = () => registry.integrations.get(integration)?.resources.get('user-directory/users')?.methods.get('create');

  test('required: exactly the seed\'s', () => expect(sorted(method()?.required ?? ['<missing definition>'])).toEqual(sorted(seed.required)));
  test('supported: at least the seed\'s', () => expect(missing(method()?.supported, seed.supported)).toEqual([]));
  test('response supported: at least the seed\'s', () => expect(missing(method()?.responseSupported, seed.response)).toEqual([]));
});
