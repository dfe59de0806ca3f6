import { loadAdminConfig } from '../../../lib/rules-admin/admin-config';
import { currentUser } from '../../../lib/rules-admin/admin-runtime';
import { withKeyOrder } from '../../../lib/rules-admin/key-order';

describe('loadAdminConfig', () => {
  it('reads the tables, rule set and local endpoint', () => {
    const config = loadAdminConfig(
      {
        CONFIG_TABLE: 'config',
        LEADS_TABLE: 'leads',
        RULESET_NAME: 'emea',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      },
      { leads: true },
    );

    expect(config).toMatchObject({
      configTable: 'config',
      leadsTable: 'leads',
      rulesetName: 'emea',
      endpoint: 'http://127.0.0.1:8000',
      crm: 'hubspot',
    });
  });

  it('names every missing variable a command needs, at once', () => {
    expect(() => loadAdminConfig({}, { leads: true, writeBack: true })).toThrow(
      /CONFIG_TABLE: required but not set\n\s+LEADS_TABLE: required but not set\n\s+WRITEBACK_QUEUE_URL: required but not set/,
    );
  });

  it('defaults the rule set to "default" and needs no leads table for rules commands', () => {
    expect(loadAdminConfig({ CONFIG_TABLE: 'config' })).toMatchObject({ rulesetName: 'default' });
  });
});

describe('currentUser', () => {
  it('prefers LEADSCORE_USER', () => {
    expect(currentUser({ LEADSCORE_USER: ' kim ' })).toBe('kim');
    expect(currentUser({}).length).toBeGreaterThan(0);
  });
});

describe('withKeyOrder', () => {
  it('puts rule keys in the order rules files use, at every depth', () => {
    const ordered = withKeyOrder({
      points: 5,
      equals: 'x',
      field: 'f',
      id: 'r',
      all: [{ lt: 3, field: 'n' }],
    });

    expect(JSON.stringify(ordered)).toBe(
      '{"id":"r","field":"f","equals":"x","all":[{"field":"n","lt":3}],"points":5}',
    );
  });
});
