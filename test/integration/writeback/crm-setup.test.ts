import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import {
  DEFAULT_CONNECTED_APP,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from '../../../local/sandbox/salesforce-sandbox';
import { createCrmSetupCommand } from '../../../lib/cli/commands/crm-setup';
import type { Env } from '../../../lib/config/env';
import { runCli } from '../../unit/cli/run-cli';
import { runBin } from '../../support/run-bin';

const setup = (argv: readonly string[], env: Env) =>
  runCli(['crm', 'setup', ...argv], { commands: [createCrmSetupCommand(() => env)] });

describe('leadscore crm setup --crm hubspot (against the sandbox)', () => {
  let sandbox: HubSpotSandbox;
  let env: Env;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox({ seed: 30 });
    env = {
      LEADSCORE_CRM_SECRETS: JSON.stringify({ hubspot: { accessToken: sandbox.accessToken } }),
      HUBSPOT_BASE_URL: sandbox.url,
    };
  });

  afterEach(() => sandbox.close());

  const ours = () =>
    sandbox
      .properties()
      .filter((property) => property.groupName === 'leadscore')
      .map((property) => [property.name, property.type, property.fieldType]);

  it('creates the leadscore group and the five properties', async () => {
    const run = await setup(['--crm', 'hubspot'], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'property group leadscore: created',
        'leadscore_score (number): created',
        'leadscore_grade (string): created',
        'leadscore_stage (string): created',
        'leadscore_reasons (string): created',
        'leadscore_scored_at (datetime): created',
        'ready: 5 created, 0 already there',
        '',
      ].join('\n'),
    );
    expect(sandbox.propertyGroups().map((group) => group.name)).toContain('leadscore');
    expect(ours()).toEqual([
      ['leadscore_score', 'number', 'number'],
      ['leadscore_grade', 'string', 'text'],
      ['leadscore_stage', 'string', 'text'],
      ['leadscore_reasons', 'string', 'textarea'],
      ['leadscore_scored_at', 'datetime', 'date'],
    ]);
  });

  it('runs through the real bin, which loads the CRM clients only then', async () => {
    const run = await runBin(['crm', 'setup', '--crm', 'hubspot'], '', env as Record<string, string>);

    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('ready: 5 created, 0 already there');
    expect(run.code).toBe(0);
  }, 30_000);

  it('is idempotent: a second run creates nothing and reports what exists', async () => {
    await setup(['--crm', 'hubspot'], env);
    sandbox.clearRequests();

    const run = await setup(['--crm', 'hubspot'], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('property group leadscore: exists');
    expect(run.stdout).toContain('ready: 0 created, 5 already there');
    expect(sandbox.requests().filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('creates only what is missing and flags a property of another type', async () => {
    await sandbox.close();
    sandbox = await startHubSpotSandbox({
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: [
        {
          name: 'leadscore_score',
          label: 'Score',
          type: 'string',
          fieldType: 'text',
          groupName: 'leadscore',
        },
        {
          name: 'leadscore_grade',
          label: 'Grade',
          type: 'string',
          fieldType: 'text',
          groupName: 'leadscore',
        },
      ],
    });
    env = { ...env, HUBSPOT_BASE_URL: sandbox.url };

    const run = await setup(['--crm', 'hubspot'], {
      ...env,
      LEADSCORE_CRM_SECRETS: JSON.stringify({ hubspot: { accessToken: sandbox.accessToken } }),
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('property group leadscore: exists');
    expect(run.stdout).toContain('leadscore_score (number): exists as string, expected number');
    expect(run.stdout).toContain('leadscore_grade (string): exists');
    expect(run.stdout).toContain('leadscore_stage (string): created');
    expect(run.stdout).toContain('1 property has another type');
  });

  it('follows SCORE_FIELDS renames', async () => {
    const run = await setup(['--crm', 'hubspot'], { ...env, SCORE_FIELDS: '{"score":"lead_points"}' });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lead_points (number): created');
  });

  it('says which variable is missing when there are no credentials', async () => {
    const run = await setup(['--crm', 'hubspot'], { HUBSPOT_BASE_URL: sandbox.url });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'CRM_SECRET_ID: set CRM_SECRET_ID (deployed) or LEADSCORE_CRM_SECRETS (local JSON)',
    );
  });

  it('says what is wrong with the secrets and with the token', async () => {
    const noSection = await setup(['--crm', 'hubspot'], { ...env, LEADSCORE_CRM_SECRETS: '{}' });
    const badToken = await setup(['--crm', 'hubspot'], {
      ...env,
      LEADSCORE_CRM_SECRETS: JSON.stringify({ hubspot: { accessToken: 'pat-wrong' } }),
    });

    expect(noSection.code).toBe(1);
    expect(noSection.stderr).toContain('CRM secrets have no "hubspot" section');
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('leadscore crm setup: hubspot: 401 INVALID_AUTHENTICATION');
  });

  it('asks for --crm', async () => {
    const run = await setup([], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing --crm hubspot|salesforce');
  });

  it('is in the command table, reading the process environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const run = await runCli(['crm', 'setup', '--crm', 'hubspot']);
      expect(run.code).toBe(0);
    } finally {
      process.env = saved;
    }
  });
});

describe('leadscore crm setup --crm salesforce (against the sandbox)', () => {
  let sandbox: SalesforceSandbox;
  let env: Env;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({
      seed: 31,
      customFields: [
        { object: 'Lead', name: 'Lead_Score__c', type: 'double', precision: 3, scale: 0 },
        { object: 'Contact', name: 'Lead_Scored_At__c', type: 'string', length: 30 },
      ],
    });
    env = {
      LEADSCORE_CRM_SECRETS: JSON.stringify({
        salesforce: {
          loginUrl: 'https://login.salesforce.com',
          clientId: DEFAULT_CONNECTED_APP.consumerKey,
          clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
        },
      }),
      SALESFORCE_LOGIN_URL: sandbox.url,
    };
  });

  afterEach(() => sandbox.close());

  it('lists exactly the missing fields with their types, and creates nothing', async () => {
    const run = await setup(['--crm', 'salesforce'], env);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'Lead.Lead_Score__c             Number(18,0)    ok, but Number(3,0): scores beyond ±999 will be refused',
        'Lead.Lead_Grade__c             Text(20)        MISSING',
        'Lead.Lead_Stage__c             Text(40)        MISSING',
        'Lead.Lead_Score_Reasons__c     Text Area(255)  MISSING',
        'Lead.Lead_Scored_At__c         DateTime        MISSING',
        'Contact.Lead_Score__c          Number(18,0)    MISSING',
        'Contact.Lead_Grade__c          Text(20)        MISSING',
        'Contact.Lead_Stage__c          Text(40)        MISSING',
        'Contact.Lead_Score_Reasons__c  Text Area(255)  MISSING',
        'Contact.Lead_Scored_At__c      DateTime        WRONG TYPE (is string)',
        '8 field(s) missing: run again with --create to create them',
        '1 field(s) have a type that cannot take scores',
        '',
      ].join('\n'),
    );
    expect(sandbox.requests().some((request) => request.path.includes('/tooling/'))).toBe(false);
  });

  it('runs through the real bin, which loads the CRM clients only then', async () => {
    const run = await runBin(['crm', 'setup', '--crm', 'salesforce'], '', env as Record<string, string>);

    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('8 field(s) missing: run again with --create to create them');
    expect(run.code).toBe(1);
  }, 30_000);

  it('with --create makes the missing fields through the Tooling API with the right types', async () => {
    const run = await setup(['--crm', 'salesforce', '--create'], env);
    const lead = new Map(sandbox.fields('Lead').map((field) => [field.name, field]));

    expect(run.stdout).toContain('Lead.Lead_Grade__c             Text(20)        created');
    expect(run.stdout).toContain('8 field(s) created: give the integration user edit access to them');
    expect(run.code).toBe(1);
    expect(
      sandbox.requests().filter((request) => request.path.endsWith('/tooling/sobjects/CustomField')),
    ).toHaveLength(8);
    expect(lead.get('Lead_Grade__c')).toMatchObject({ type: 'string', length: 20, custom: true });
    expect(lead.get('Lead_Stage__c')).toMatchObject({ type: 'string', length: 40 });
    expect(lead.get('Lead_Score_Reasons__c')).toMatchObject({ type: 'textarea', length: 255 });
    expect(lead.get('Lead_Scored_At__c')).toMatchObject({ type: 'datetime' });
    expect(
      new Map(sandbox.fields('Contact').map((field) => [field.name, field])).get('Lead_Score__c'),
    ).toMatchObject({ type: 'double', precision: 18, scale: 0 });
  });

  /** Restarts the sandbox with all five fields on Lead and Contact, in these sizes, and runs setup on it. */
  async function setupWithFields(sizes: { score: [number, number]; grade: number; stage: number }) {
    await sandbox.close();
    const [precision, scale] = sizes.score;
    sandbox = await startSalesforceSandbox({
      customFields: (['Lead', 'Contact'] as const).flatMap((object) => [
        { object, name: 'Lead_Score__c', type: 'double' as const, precision, scale },
        { object, name: 'Lead_Grade__c', type: 'string' as const, length: sizes.grade },
        { object, name: 'Lead_Stage__c', type: 'string' as const, length: sizes.stage },
        { object, name: 'Lead_Score_Reasons__c', type: 'textarea' as const },
        { object, name: 'Lead_Scored_At__c', type: 'datetime' as const },
      ]),
    });
    return setup(['--crm', 'salesforce'], { ...env, SALESFORCE_LOGIN_URL: sandbox.url });
  }

  it('reports ready once every field exists', async () => {
    const run = await setupWithFields({ score: [18, 0], grade: 20, stage: 40 });

    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('ready: every score field exists on Lead and Contact');
  });

  it('accepts fields made narrower by hand, and says which values each will refuse', async () => {
    const run = await setupWithFields({ score: [5, 2], grade: 2, stage: 80 });
    const lines = run.stdout.trim().split('\n');

    expect(run.code).toBe(0);
    expect(lines.filter((line) => line.startsWith('Lead.'))).toEqual([
      'Lead.Lead_Score__c             Number(18,0)    ok, but Number(5,2): scores beyond ±999 will be refused',
      'Lead.Lead_Grade__c             Text(20)        ok, but Text(2): names over 2 characters will be refused',
      'Lead.Lead_Stage__c             Text(40)        ok',
      'Lead.Lead_Score_Reasons__c     Text Area(255)  ok',
      'Lead.Lead_Scored_At__c         DateTime        ok',
    ]);
    expect(lines.at(-1)).toBe('ready: every score field exists on Lead and Contact');
  });

  it('says why the token was refused', async () => {
    const run = await setup(['--crm', 'salesforce'], {
      ...env,
      LEADSCORE_CRM_SECRETS: JSON.stringify({
        salesforce: {
          loginUrl: sandbox.url,
          clientId: DEFAULT_CONNECTED_APP.consumerKey,
          clientSecret: 'nope',
        },
      }),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid_client');
  });
});
