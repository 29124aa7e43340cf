import { loadRegistry } from '../../engine';

/**
 * The reference product's page for POST /unified/user-directory/users (seed 001) states, per unified field, which of
 * ActiveCampaign, Google Workspace, Okta and Salesforce require and support it, for the request and the response.
 * The definitions must declare exactly that.
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

describe.each(Object.entries(SEED))('%s create matches the seed page', (integration, seed) => {
  const method = () => registry.integrations.get(integration)?.resources.get('user-directory/users')?.methods.get('create');

  test('required', () => expect(sorted(method()?.required ?? ['<missing definition>'])).toEqual(sorted(seed.required)));
  test('supported', () => expect(sorted(method()?.supported ?? ['<missing definition>'])).toEqual(sorted(seed.supported)));
  test('response supported', () => expect(sorted(method()?.responseSupported ?? ['<missing definition>'])).toEqual(sorted(seed.response)));
});
