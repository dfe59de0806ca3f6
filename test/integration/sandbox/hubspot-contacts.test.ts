import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { caught, hubspotClient, idOf } from './clients';

const SCORE_PROPERTIES = [
  {
    name: 'leadscore_score',
    label: 'Lead score',
    type: 'number',
    fieldType: 'number',
    groupName: 'leadscore',
  },
  { name: 'leadscore_grade', label: 'Lead grade', type: 'string', fieldType: 'text', groupName: 'leadscore' },
];

describe('HubSpot sandbox contacts through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox({
      seed: 7,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: SCORE_PROPERTIES,
    });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const seedContacts = (count: number) =>
    sandbox.seed(
      Array.from({ length: count }, (_, index) => ({
        properties: { email: `lead${index}@example.com`, firstname: `Lead${index}` },
      })),
    );

  it('writes a batch of 100 in one call, storing numbers as strings, and answers 200', async () => {
    const contacts = seedContacts(100);
    const client = hubspotClient(sandbox);

    const response = await client.crm.contacts.batchApi.update({
      inputs: contacts.map((contact, index) => ({
        id: contact.id,
        properties: { leadscore_score: index as unknown as string, leadscore_grade: 'B' },
      })),
    });

    expect(response.results).toHaveLength(100);
    expect('errors' in response ? response.errors : undefined).toBeUndefined();
    expect(sandbox.record(idOf(contacts[42]))?.properties).toMatchObject({
      leadscore_score: '42',
      leadscore_grade: 'B',
    });
    expect(sandbox.requests().map((request) => [request.method, request.path, request.status])).toEqual([
      ['POST', '/crm/v3/objects/contacts/batch/update', 200],
    ]);
  });

  it('refuses 101 inputs with 400 VALIDATION_ERROR and writes nothing', async () => {
    const contacts = seedContacts(101);
    const client = hubspotClient(sandbox);

    const error = await caught(
      client.crm.contacts.batchApi.update({
        inputs: contacts.map((contact) => ({ id: contact.id, properties: { leadscore_grade: 'A' } })),
      }),
    );

    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(sandbox.records().filter((contact) => contact.properties.leadscore_grade !== undefined)).toEqual(
      [],
    );
  });

  it('returns a 207 as an object with errors: unknown ids and undefined properties fail, the rest is written', async () => {
    const [good, withTypo, deleted] = seedContacts(3);
    sandbox.deleteRecord(idOf(deleted));
    const client = hubspotClient(sandbox);

    const response = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: idOf(good), properties: { leadscore_grade: 'A' } },
        { id: idOf(withTypo), properties: { leadscore_grade: 'C', leadscore_grdae: 'C' } },
        { id: idOf(deleted), properties: { leadscore_grade: 'D' } },
        { id: '999999', properties: { leadscore_grade: 'D' } },
      ],
    });

    expect(response.results.map((result) => result.id)).toEqual([good?.id]);
    const errors = 'errors' in response ? (response.errors ?? []) : [];
    expect(errors).toEqual([
      expect.objectContaining({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        context: { ids: [deleted?.id, '999999'] },
      }),
      expect.objectContaining({
        status: 'error',
        category: 'VALIDATION_ERROR',
        context: { ids: [withTypo?.id] },
        errors: [
          expect.objectContaining({
            code: 'PROPERTY_DOESNT_EXIST',
            message: 'Property "leadscore_grdae" does not exist',
          }),
        ],
      }),
    ]);
    expect(sandbox.requests()[0]?.status).toBe(207);
    expect(sandbox.record(idOf(good))?.properties.leadscore_grade).toBe('A');
    expect(sandbox.record(idOf(withTypo))?.properties.leadscore_grade).toBeUndefined();
  });

  it('refuses duplicate ids in one batch', async () => {
    const [contact] = seedContacts(1);
    const client = hubspotClient(sandbox);

    const error = await caught(
      client.crm.contacts.batchApi.update({
        inputs: [
          { id: idOf(contact), properties: { leadscore_grade: 'A' } },
          { id: idOf(contact), properties: { leadscore_grade: 'B' } },
        ],
      }),
    );

    expect(error.code).toBe(400);
    expect(error.body?.message).toContain(`Duplicate IDs found in batch input: [${contact?.id}]`);
  });

  it('reads a batch by id with the requested properties, null when unset, and 207 for missing ids', async () => {
    const [first, second] = seedContacts(2);
    const client = hubspotClient(sandbox);
    await client.crm.contacts.batchApi.update({
      inputs: [{ id: idOf(first), properties: { leadscore_grade: 'A' } }],
    });

    const response = await client.crm.contacts.batchApi.read({
      inputs: [{ id: idOf(first) }, { id: idOf(second) }, { id: '424242' }],
      properties: ['leadscore_grade', 'email'],
      propertiesWithHistory: [],
    });

    expect(
      response.results.map((result) => [
        result.id,
        result.properties.leadscore_grade,
        result.properties.email,
      ]),
    ).toEqual([
      [first?.id, 'A', 'lead0@example.com'],
      [second?.id, null, 'lead1@example.com'],
    ]);
    expect(response.results[0]?.updatedAt).toBeInstanceOf(Date);
    const errors = 'errors' in response ? response.errors : [];
    expect(errors).toEqual([
      expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }),
    ]);
  });

  it('reads a batch by email with idProperty', async () => {
    const [, second] = seedContacts(2);
    const client = hubspotClient(sandbox);

    const response = await client.crm.contacts.batchApi.read({
      idProperty: 'email',
      inputs: [{ id: 'LEAD1@example.com' }],
      properties: ['firstname'],
      propertiesWithHistory: [],
    });

    expect(response.results.map((result) => [result.id, result.properties.firstname])).toEqual([
      [second?.id, 'Lead1'],
    ]);
  });

  it('reads one contact by id, and answers 404 OBJECT_NOT_FOUND for a deleted one', async () => {
    const [kept, gone] = seedContacts(2);
    sandbox.deleteRecord(idOf(gone));
    const client = hubspotClient(sandbox);

    const found = await client.crm.contacts.basicApi.getById(idOf(kept), ['email', 'leadscore_score']);
    const error = await caught(client.crm.contacts.basicApi.getById(idOf(gone), ['email']));

    expect(found.properties).toEqual({
      createdate: kept?.properties.createdate,
      hs_object_id: kept?.id,
      lastmodifieddate: kept?.properties.lastmodifieddate,
      email: 'lead0@example.com',
      leadscore_score: null,
    });
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('creates contacts (201) and refuses a second contact with the same email (409 CONFLICT)', async () => {
    const client = hubspotClient(sandbox);

    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'new@example.com', firstname: 'New' },
    });
    const error = await caught(
      client.crm.contacts.basicApi.create({ properties: { email: 'NEW@example.com' } }),
    );

    expect(sandbox.record(created.id)?.properties).toMatchObject({
      email: 'new@example.com',
      firstname: 'New',
    });
    expect(error.code).toBe(409);
    expect(error.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${created.id}`,
    });
  });

  it('refuses seeding a property the portal does not define', () => {
    expect(() =>
      sandbox.seed([{ properties: { email: 'x@example.com', favourite_colour: 'blue' } }]),
    ).toThrow('Property "favourite_colour" does not exist');
  });
});

describe('HubSpot sandbox properties through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox({ seed: 3 });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('creates a group and a property (201), answers 409 on a repeat, and lists and gets them', async () => {
    const client = hubspotClient(sandbox);
    const property = {
      name: 'leadscore_score',
      label: 'Lead score',
      type: PropertyCreateTypeEnum.Number,
      fieldType: PropertyCreateFieldTypeEnum.Number,
      groupName: 'leadscore',
    };

    const group = await client.crm.properties.groupsApi.create('contacts', {
      name: 'leadscore',
      label: 'Leadscore',
    });
    const created = await client.crm.properties.coreApi.create('contacts', property);
    const repeatedGroup = await caught(
      client.crm.properties.groupsApi.create('contacts', { name: 'leadscore', label: 'x' }),
    );
    const repeated = await caught(client.crm.properties.coreApi.create('contacts', property));
    const fetched = await client.crm.properties.coreApi.getByName('contacts', 'leadscore_score');
    const all = await client.crm.properties.coreApi.getAll('contacts');
    const groups = await client.crm.properties.groupsApi.getAll('contacts');

    expect(group).toMatchObject({ name: 'leadscore', label: 'Leadscore', archived: false });
    expect(created).toMatchObject({
      name: 'leadscore_score',
      type: 'number',
      fieldType: 'number',
      groupName: 'leadscore',
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect([repeatedGroup.code, repeated.code]).toEqual([409, 409]);
    expect(repeated.body).toMatchObject({
      status: 'error',
      message: "Property named 'leadscore_score' already exists.",
    });
    expect(fetched.name).toBe('leadscore_score');
    expect(all.results.map((result) => result.name)).toEqual(
      expect.arrayContaining(['email', 'leadscore_score']),
    );
    expect(groups.results.map((result) => result.name)).toContain('leadscore');
  });

  it('refuses a property in a group that does not exist, and a missing property by name', async () => {
    const client = hubspotClient(sandbox);

    const badGroup = await caught(
      client.crm.properties.coreApi.create('contacts', {
        name: 'leadscore_grade',
        label: 'Grade',
        type: PropertyCreateTypeEnum.String,
        fieldType: PropertyCreateFieldTypeEnum.Text,
        groupName: 'nope',
      }),
    );
    const missing = await caught(client.crm.properties.coreApi.getByName('contacts', 'leadscore_grade'));

    expect(badGroup.code).toBe(400);
    expect(badGroup.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(missing.code).toBe(404);
  });

  it('makes a created property writable on contacts', async () => {
    const client = hubspotClient(sandbox);
    const [contact] = sandbox.seed([{ properties: { email: 'a@example.com' } }]);
    const before = await client.crm.contacts.batchApi.update({
      inputs: [{ id: idOf(contact), properties: { leadscore_stage: 'mql' } }],
    });

    await client.crm.properties.coreApi.create('contacts', {
      name: 'leadscore_stage',
      label: 'Stage',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'contactinformation',
    });
    const after = await client.crm.contacts.batchApi.update({
      inputs: [{ id: idOf(contact), properties: { leadscore_stage: 'mql' } }],
    });

    expect('errors' in before ? before.errors?.length : 0).toBe(1);
    expect('errors' in after ? after.errors : undefined).toBeUndefined();
    expect(sandbox.record(idOf(contact))?.properties.leadscore_stage).toBe('mql');
  });
});
