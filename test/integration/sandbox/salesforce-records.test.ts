import { startSalesforceSandbox, type SalesforceSandbox } from '../../../local/sandbox/salesforce-sandbox';
import { caught, idOf, jsforceConnection, wire } from './clients';

const CUSTOM_FIELDS = [
  { object: 'Lead' as const, name: 'Lead_Score__c', type: 'double' as const, precision: 3 },
  { object: 'Lead' as const, name: 'Lead_Grade__c', type: 'string' as const, length: 2 },
  { object: 'Contact' as const, name: 'Lead_Score__c', type: 'double' as const },
];

describe('Salesforce sandbox sObject collections through jsforce', () => {
  let sandbox: SalesforceSandbox;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({
      seed: 9,
      customFields: CUSTOM_FIELDS,
      assignmentOwnerId: '00G000000000001AAA',
    });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const seedLeads = (count: number) =>
    sandbox.seed(
      Array.from({ length: count }, (_, index) => ({
        fields: { LastName: `Lead ${index}`, Company: 'Acme' },
      })),
    );

  it('updates 200 leads with one PATCH composite/sobjects, results in request order, Sforce-Auto-Assign recorded', async () => {
    const leads = seedLeads(200);
    const conn = jsforceConnection(sandbox);

    const results = await conn.sobject('Lead').update(
      leads.map((lead, index) => ({ Id: lead.id, Lead_Score__c: index, Lead_Grade__c: 'B' })),
      { allOrNone: false, headers: { 'Sforce-Auto-Assign': 'FALSE' } },
    );

    expect(results.map((result) => [result.id, result.success])).toEqual(
      leads.map((lead) => [lead.id, true]),
    );
    expect(
      sandbox
        .requests()
        .map((request) => [request.method, request.path, request.headers['sforce-auto-assign']]),
    ).toEqual([['PATCH', '/services/data/v62.0/composite/sobjects', 'FALSE']]);
    expect(sandbox.record(idOf(leads[150]))?.fields).toMatchObject({
      Lead_Score__c: 150,
      Lead_Grade__c: 'B',
    });
    expect(sandbox.record(idOf(leads[150]))?.fields.OwnerId).toBe(sandbox.defaultOwnerId);
  });

  it('runs the simulated assignment rule when Sforce-Auto-Assign is not FALSE', async () => {
    const [lead] = seedLeads(1);
    const conn = jsforceConnection(sandbox);

    await conn.sobject('Lead').update([{ Id: idOf(lead), Lead_Grade__c: 'A' }], { allOrNone: false });

    expect(sandbox.requests()[0]?.headers['sforce-auto-assign']).toBeUndefined();
    expect(sandbox.record(idOf(lead))?.fields.OwnerId).toBe('00G000000000001AAA');
  });

  it('with allOrNone false saves the valid records and explains each failed one', async () => {
    const [ok, deleted, invalidField, ruled, tooLong] = seedLeads(5);
    sandbox.deleteRecord(idOf(deleted));
    sandbox.failValidation(idOf(ruled), { message: 'Grade must be A-F', fields: ['Lead_Grade__c'] });
    const conn = jsforceConnection(sandbox);

    const results = await conn.sobject('Lead').update(
      [
        { Id: idOf(ok), Lead_Score__c: 80 },
        { Id: idOf(deleted), Lead_Score__c: 1 },
        { Id: idOf(invalidField), Lead_Scor__c: 1 },
        { Id: idOf(ruled), Lead_Grade__c: 'Z' },
        { Id: idOf(tooLong), Lead_Grade__c: 'ABC' },
        { Id: '00Q000000000777', Lead_Score__c: 1 },
        { Id: '003000000000001AAA', Lead_Score__c: 1 },
      ],
      { allOrNone: false },
    );

    expect(results).toEqual([
      { id: ok?.id, success: true, errors: [] },
      {
        id: deleted?.id,
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      },
      {
        id: invalidField?.id,
        success: false,
        errors: [
          {
            statusCode: 'INVALID_FIELD',
            message: "No such column 'Lead_Scor__c' on sobject of type Lead",
            fields: [],
          },
        ],
      },
      {
        id: ruled?.id,
        success: false,
        errors: [
          {
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Grade must be A-F',
            fields: ['Lead_Grade__c'],
          },
        ],
      },
      {
        id: tooLong?.id,
        success: false,
        errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG', fields: ['Lead_Grade__c'] })],
      },
      {
        id: '00Q000000000777EAA',
        success: false,
        errors: [
          { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
        ],
      },
      {
        success: false,
        errors: [
          {
            statusCode: 'MALFORMED_ID',
            message: 'Lead ID: id value of incorrect type: 003000000000001AAA',
            fields: ['Id'],
          },
        ],
      },
    ]);
    expect(sandbox.record(idOf(ok))?.fields.Lead_Score__c).toBe(80);
    expect(sandbox.record(idOf(ruled))?.fields.Lead_Grade__c).toBeUndefined();
  });

  it('with allOrNone true rolls every record back when one fails', async () => {
    const [first, second] = seedLeads(2);
    const conn = jsforceConnection(sandbox);

    const results = await conn.sobject('Lead').update(
      [
        { Id: idOf(first), Lead_Score__c: 10 },
        { Id: idOf(second), Lead_Score__c: 'ten' },
      ],
      { allOrNone: true },
    );

    expect(
      wire(results).map((result) => [result.success, result.errors.map((error) => error.statusCode)]),
    ).toEqual([
      [false, ['ALL_OR_NONE_OPERATION_ROLLED_BACK']],
      [false, ['INVALID_TYPE_ON_FIELD_IN_RECORD']],
    ]);
    expect(sandbox.record(idOf(first))?.fields.Lead_Score__c).toBeUndefined();
  });

  it('refuses more than 200 records with 400 EXCEEDED_ID_LIMIT, which jsforce throws with its errorCode', async () => {
    const leads = seedLeads(201);
    const conn = jsforceConnection(sandbox);

    const error = await caught(
      conn.sobject('Lead').update(
        leads.map((lead) => ({ Id: lead.id, Lead_Score__c: 1 })),
        { allOrNone: false },
      ),
    );

    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(sandbox.requests().map((request) => request.status)).toEqual([400]);
  });

  it('flags the same id twice in one collection', async () => {
    const [lead] = seedLeads(1);
    const conn = jsforceConnection(sandbox);

    const results = await conn.sobject('Lead').update(
      [
        { Id: idOf(lead), Lead_Score__c: 1 },
        { Id: idOf(lead), Lead_Score__c: 2 },
      ],
      { allOrNone: false },
    );

    expect(wire(results).map((result) => result.errors.map((error) => error.statusCode))).toEqual([
      [],
      ['DUPLICATE_VALUE'],
    ]);
    expect(sandbox.record(idOf(lead))?.fields.Lead_Score__c).toBe(1);
  });

  it('updates Contacts the same way', async () => {
    const [contact] = sandbox.seed([
      { type: 'Contact', fields: { LastName: 'Cruz', Email: 'cruz@example.com' } },
    ]);
    const conn = jsforceConnection(sandbox);

    const [result] = await conn
      .sobject('Contact')
      .update([{ Id: idOf(contact), Lead_Score__c: 55 }], { allOrNone: false });

    expect(contact?.id).toMatch(/^003/);
    expect(result?.success).toBe(true);
    expect(sandbox.record(idOf(contact))?.fields.Lead_Score__c).toBe(55);
  });
});

describe('Salesforce sandbox reads, describe and Tooling through jsforce', () => {
  let sandbox: SalesforceSandbox;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ seed: 4, customFields: CUSTOM_FIELDS });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('retrieves one record, several records, and answers the id query jsforce builds', async () => {
    const [first, second] = sandbox.seed([
      { fields: { LastName: 'Ng', Company: 'Acme', Lead_Score__c: 12 } },
      { fields: { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Engines' } },
    ]);
    const conn = jsforceConnection(sandbox);

    const one = await conn.sobject('Lead').retrieve(idOf(first));
    const many = await conn.sobject('Lead').retrieve([idOf(first), idOf(second)], { fields: ['Name'] });
    const found = await conn
      .sobject('Lead')
      .find({ Id: { $in: [idOf(second), idOf(first)] } }, ['Id', 'Lead_Score__c']);

    expect(one).toMatchObject({ Id: idOf(first), LastName: 'Ng', Lead_Score__c: 12, Lead_Grade__c: null });
    expect(many.map((record) => record?.Name)).toEqual(['Ng', 'Ada Lovelace']);
    expect(found.map((record) => [record.Id, record.Lead_Score__c])).toEqual([
      [second?.id, null],
      [first?.id, 12],
    ]);
  });

  it('answers 404 ENTITY_IS_DELETED for a deleted record and NOT_FOUND for an unknown one', async () => {
    const [lead] = sandbox.seed([{ fields: { LastName: 'Ng', Company: 'Acme' } }]);
    sandbox.deleteRecord(idOf(lead));
    const conn = jsforceConnection(sandbox);

    const deleted = await caught(conn.sobject('Lead').retrieve(idOf(lead)));
    const unknown = await caught(conn.sobject('Lead').retrieve('00Q000000000999'));

    expect([deleted.errorCode, unknown.errorCode]).toEqual(['ENTITY_IS_DELETED', 'NOT_FOUND']);
  });

  it('refuses any other SOQL with INVALID_QUERY', async () => {
    const conn = jsforceConnection(sandbox);

    const error = await caught(conn.query("SELECT Id FROM Lead WHERE Email = 'a@example.com'"));

    expect(error.errorCode).toBe('INVALID_QUERY');
  });

  it('describes standard and custom fields with name, type, length and custom', async () => {
    const conn = jsforceConnection(sandbox);

    const describe = await conn.sobject('Lead').describe();

    const byName = new Map(describe.fields.map((field) => [field.name, field]));
    expect(byName.get('Email')).toMatchObject({ type: 'email', length: 80, custom: false });
    expect(byName.get('Lead_Grade__c')).toMatchObject({ type: 'string', length: 2, custom: true });
    expect(byName.get('Lead_Score__c')).toMatchObject({ type: 'double', custom: true, precision: 3 });
    expect(describe.keyPrefix).toBe('00Q');
  });

  it('creates a custom field through the Tooling API, refuses it twice, and makes it writable', async () => {
    const [lead] = sandbox.seed([{ fields: { LastName: 'Ng', Company: 'Acme' } }]);
    const conn = jsforceConnection(sandbox);
    const field = {
      FullName: 'Lead.Lead_Stage__c',
      Metadata: { label: 'Lead Stage', type: 'Text', length: 40 },
    };

    const created = await conn.tooling.create('CustomField', field);
    const repeated = await caught(conn.tooling.create('CustomField', field));
    const [saved] = await conn
      .sobject('Lead')
      .update([{ Id: idOf(lead), Lead_Stage__c: 'MQL' }], { allOrNone: false });

    expect(created).toMatchObject({ success: true, errors: [] });
    expect(repeated.errorCode).toBe('DUPLICATE_VALUE');
    expect(saved?.success).toBe(true);
    expect(sandbox.fields('Lead').find((definition) => definition.name === 'Lead_Stage__c')).toMatchObject({
      type: 'string',
      length: 40,
      custom: true,
    });
  });

  it('refuses seeding a record Salesforce would refuse', () => {
    expect(() => sandbox.seed([{ fields: { LastName: 'Ng' } }])).toThrow('REQUIRED_FIELD_MISSING');
  });
});
