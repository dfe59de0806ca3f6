import {
  CrmSecretsError,
  hubSpotSecrets,
  jwtAudience,
  loadCrmConnectionConfig,
  salesforceCredentials,
} from '../../../lib/config/crm-secrets';
import { ConfigError } from '../../../lib/config/env';
import { apiFloor, loadWriteBackConfig } from '../../../lib/config/writeback-config';

const BASE = {
  LEADS_TABLE: 'leads-prod',
  WRITEBACK_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/writeback-dlq',
  CRM_SECRET_ID: 'leadscore/crm',
};

describe('loadWriteBackConfig', () => {
  it('reads a deployed configuration with defaults', () => {
    const config = loadWriteBackConfig(BASE);

    expect(config).toEqual({
      leadsTable: 'leads-prod',
      crm: 'hubspot',
      scoreFields: {
        score: 'leadscore_score',
        grade: 'leadscore_grade',
        stage: 'leadscore_stage',
        reasons: 'leadscore_reasons',
        scoredAt: 'leadscore_scored_at',
      },
      deadLetterQueueUrl: BASE.WRITEBACK_DLQ_URL,
      assignOnQualificationChange: false,
      connection: { secrets: { secretId: 'leadscore/crm' }, secretsTtlMs: 300_000 },
    });
  });

  it('reads the Salesforce options and field renames', () => {
    const config = loadWriteBackConfig({
      ...BASE,
      CRM: 'salesforce',
      SCORE_FIELDS: '{"score":"Score__c"}',
      ASSIGN_ON_QUALIFICATION_CHANGE: 'true',
      SALESFORCE_API_FLOOR: '5000',
      SALESFORCE_LOGIN_URL: 'https://test.salesforce.com',
    });

    expect(config.scoreFields.score).toBe('Score__c');
    expect(config.scoreFields.grade).toBe('Lead_Grade__c');
    expect(config.assignOnQualificationChange).toBe(true);
    expect(config.salesforceApiFloor).toBe(5_000);
    expect(config.connection.salesforceLoginUrl).toBe('https://test.salesforce.com');
  });

  it('reads where and for how long writes the CRM cannot take yet are held', () => {
    const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/writeback';
    expect(loadWriteBackConfig({ ...BASE, WRITEBACK_QUEUE_URL: queueUrl })).toMatchObject({ queueUrl });
    expect(loadWriteBackConfig({ ...BASE, WRITEBACK_HOLD_DELAY_SECONDS: '900' }).holdDelaySeconds).toBe(900);
    expect(loadWriteBackConfig({ ...BASE, WRITEBACK_HOLD_DELAY_SECONDS: '3' }).holdDelaySeconds).toBe(3);
    expect(() => loadWriteBackConfig({ ...BASE, WRITEBACK_HOLD_DELAY_SECONDS: '901' })).toThrow(
      /WRITEBACK_HOLD_DELAY_SECONDS.*expected whole seconds from 0 to 900/,
    );
  });

  it('names every missing variable at once', () => {
    const read = () => loadWriteBackConfig({});

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      [
        'write-back configuration is invalid:',
        '  LEADS_TABLE: required but not set',
        '  WRITEBACK_DLQ_URL: required but not set',
        '  CRM_SECRET_ID: set CRM_SECRET_ID (deployed) or LEADSCORE_CRM_SECRETS (local JSON)',
      ].join('\n'),
    );
  });

  it.each([
    ['CRM', 'none'],
    ['ASSIGN_ON_QUALIFICATION_CHANGE', 'yes'],
    ['SALESFORCE_API_FLOOR', '10%'],
    ['HUBSPOT_BASE_URL', 'not a url'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadWriteBackConfig({ ...BASE, [name]: value })).toThrow(new RegExp(`\\n  ${name}: `));
  });
});

describe('apiFloor', () => {
  it('keeps 10% of the daily limit free by default, rounded up', () => {
    expect(apiFloor({}, 100_000)).toBe(10_000);
    expect(apiFloor({}, 15)).toBe(2);
  });

  it('uses the configured number when there is one', () => {
    expect(apiFloor({ salesforceApiFloor: 250 }, 100_000)).toBe(250);
  });
});

describe('loadCrmConnectionConfig', () => {
  it('prefers inline secrets (local) and is optional for the worker', () => {
    expect(loadCrmConnectionConfig({ LEADSCORE_CRM_SECRETS: '{}', CRM_SECRET_ID: 'x' }, false)).toEqual({
      secrets: { inline: '{}' },
      secretsTtlMs: 300_000,
    });
    expect(loadCrmConnectionConfig({}, false)).toBeUndefined();
  });
});

describe('CRM secrets', () => {
  it('reads the HubSpot token', () => {
    expect(hubSpotSecrets({ hubspot: { accessToken: 'pat-na1-123' } })).toEqual({
      accessToken: 'pat-na1-123',
    });
  });

  it('says which section is missing, with an example', () => {
    expect(() => hubSpotSecrets({ salesforce: undefined })).toThrow(
      'CRM secrets have no "hubspot" section (expected e.g. {"hubspot":{"accessToken":"pat-..."}})',
    );
  });

  it('names a wrong entry by path without echoing any secret', () => {
    const secret = 'super-secret-value';
    let message = '';
    try {
      salesforceCredentials({ salesforce: { loginUrl: 'nope', clientId: 'c', clientSecret: secret } });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('salesforce.loginUrl');
    expect(message).not.toContain(secret);
  });

  it('picks client credentials when a client secret is given', () => {
    expect(
      salesforceCredentials({
        salesforce: { loginUrl: 'https://acme.my.salesforce.com', clientId: 'key', clientSecret: 's3cret' },
      }),
    ).toEqual({
      loginUrl: 'https://acme.my.salesforce.com',
      grant: { kind: 'client_credentials', clientId: 'key', clientSecret: 's3cret' },
    });
  });

  it('picks the JWT bearer flow with a user and a key, the audience from the login host', () => {
    const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';

    const credentials = salesforceCredentials({
      salesforce: {
        loginUrl: 'https://test.salesforce.com',
        clientId: 'key',
        username: 'int@acme.example',
        privateKey,
      },
    });

    expect(credentials.grant).toEqual({
      kind: 'jwt_bearer',
      clientId: 'key',
      username: 'int@acme.example',
      privateKey,
      audience: 'https://test.salesforce.com',
    });
  });

  it('refuses a Salesforce section with neither flow complete', () => {
    expect(() =>
      salesforceCredentials({ salesforce: { loginUrl: 'https://login.salesforce.com', clientId: 'key' } }),
    ).toThrow(CrmSecretsError);
  });

  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['http://127.0.0.1:4100/', 'http://127.0.0.1:4100'],
  ])('uses as JWT audience for %s: %s', (loginUrl, audience) => {
    expect(jwtAudience(loginUrl)).toBe(audience);
  });
});
