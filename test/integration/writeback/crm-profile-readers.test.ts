import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import {
  DEFAULT_CONNECTED_APP,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from '../../../local/sandbox/salesforce-sandbox';
import { DEFAULT_SCORE_FIELDS } from '../../../lib/config/crm-fields';
import { createCrmClients } from '../../../lib/writeback/crm-clients';
import { inlineConnection, sharedClock, START } from './harness';

describe('HubSpot profile reader (enrichment) against the sandbox', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox({ seed: 8 });
  });

  afterEach(() => sandbox.close());

  const reader = () =>
    createCrmClients(
      'hubspot',
      inlineConnection({ hubspot: { accessToken: sandbox.accessToken } }, { hubspotBaseUrl: sandbox.url }),
      { scoreFields: DEFAULT_SCORE_FIELDS.hubspot },
    ).reader;

  it('reads the asked properties and the email of 150 contacts in 2 batch reads; gone ones are absent', async () => {
    const contacts = sandbox.seed(
      Array.from({ length: 150 }, (_, n) => ({
        properties: { email: `p${n}@acme.example`, jobtitle: n % 2 ? 'VP Sales' : 'Engineer' },
      })),
    );
    sandbox.deleteRecord(contacts[7]!.id);
    const refs = contacts.map((contact) => ({
      system: 'hubspot' as const,
      objectType: 'contact',
      id: contact.id,
    }));

    const profiles = await reader().readProfiles(refs, ['jobtitle', 'numberofemployees']);

    expect(
      sandbox
        .requests()
        .map((request) => [request.path, (request.body as { inputs: unknown[] }).inputs.length]),
    ).toEqual([
      ['/crm/v3/objects/contacts/batch/read', 100],
      ['/crm/v3/objects/contacts/batch/read', 50],
    ]);
    expect(profiles.size).toBe(149);
    expect(profiles.has(contacts[7]!.id)).toBe(false);
    // Unset properties (numberofemployees) are left out rather than set to null.
    expect(profiles.get(contacts[3]!.id)).toEqual({ email: 'p3@acme.example', jobtitle: 'VP Sales' });
  });

  it('reads through a 10-second outage by retrying with backoff (clock shared with the sandbox)', async () => {
    await sandbox.close();
    const time = sharedClock();
    sandbox = await startHubSpotSandbox({ clock: time.clock });
    const [contact] = sandbox.seed([{ properties: { email: 'late@acme.example' } }]);
    sandbox.outage(10);
    const read = createCrmClients(
      'hubspot',
      inlineConnection({ hubspot: { accessToken: sandbox.accessToken } }, { hubspotBaseUrl: sandbox.url }),
      { scoreFields: DEFAULT_SCORE_FIELDS.hubspot, readerRetry: { clock: time.clock, sleep: time.sleep } },
    ).reader;

    const profiles = await read.readProfiles(
      [{ system: 'hubspot', objectType: 'contact', id: contact!.id }],
      ['jobtitle'],
    );

    expect(profiles.get(contact!.id)).toEqual({ email: 'late@acme.example' });
    const statuses = sandbox.requests().map((request) => request.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every((status) => status === 503)).toBe(true);
    expect(time.now - START).toBeGreaterThanOrEqual(10_000);
  });

  it('asks nothing for references that are not HubSpot contacts', async () => {
    const profiles = await reader().readProfiles(
      [{ system: 'salesforce', objectType: 'Lead', id: '00Q000000000001AAA' }],
      ['jobtitle'],
    );

    expect(profiles.size).toBe(0);
    expect(sandbox.requests()).toEqual([]);
  });
});

describe('Salesforce profile reader (enrichment) against the sandbox', () => {
  let sandbox: SalesforceSandbox;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ seed: 8 });
  });

  afterEach(() => sandbox.close());

  const reader = () =>
    createCrmClients(
      'salesforce',
      inlineConnection(
        {
          salesforce: {
            loginUrl: sandbox.url,
            clientId: DEFAULT_CONNECTED_APP.consumerKey,
            clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
          },
        },
        { salesforceLoginUrl: sandbox.url },
      ),
      { scoreFields: DEFAULT_SCORE_FIELDS.salesforce },
    ).reader;

  it('retrieves the fields each object has, by id, named as the rules ask; absent records are left out', async () => {
    const [lead, gone] = sandbox.seed([
      {
        fields: {
          LastName: 'Ng',
          Company: 'Acme',
          Title: 'CTO',
          NumberOfEmployees: 250,
          Email: 'ng@acme.example',
        },
      },
      { fields: { LastName: 'Old', Company: 'Acme' } },
    ]);
    const [contact] = sandbox.seed([{ type: 'Contact', fields: { LastName: 'Li', Title: 'VP Ops' } }]);
    sandbox.deleteRecord(gone!.id);
    const ref = (objectType: string, id: string) => ({ system: 'salesforce' as const, objectType, id });
    const read = reader();

    const profiles = await read.readProfiles(
      [ref('Lead', lead!.id), ref('Lead', gone!.id), ref('Contact', contact!.id)],
      ['Title', 'numberofemployees', 'jobtitle'],
    );
    await read.readProfiles([ref('Lead', lead!.id)], ['Title']);

    expect(profiles.get(lead!.id)).toEqual({
      Email: 'ng@acme.example',
      Title: 'CTO',
      numberofemployees: 250,
    });
    // Contact has no NumberOfEmployees: not asked for, so the call does not fail.
    expect(profiles.get(contact!.id)).toEqual({ Title: 'VP Ops' });
    expect(profiles.has(gone!.id)).toBe(false);
    // One token, one describe per object type for the process, one retrieve per type per read.
    expect(sandbox.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /services/oauth2/token',
      'GET /services/data/v62.0/sobjects/Lead/describe',
      'POST /services/data/v62.0/composite/sobjects/Lead',
      'GET /services/data/v62.0/sobjects/Contact/describe',
      'POST /services/data/v62.0/composite/sobjects/Contact',
      'POST /services/data/v62.0/composite/sobjects/Lead',
    ]);
  });
});
