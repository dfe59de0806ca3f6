import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { lambdaContext } from '../../support/lambda-context';
import { FAKE_AWS } from '../../support/sqs-emulator';
import {
  announcements,
  dlqEntries,
  saveLeads,
  scoredLead,
  startWriteBackHarness,
  type WriteBackHarness,
} from './harness';

const PROPERTIES = ['leadscore_score', 'leadscore_grade', 'leadscore_stage', 'leadscore_reasons'].map(
  (name) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'leadscore' }),
);
const SCORED_AT = {
  name: 'leadscore_scored_at',
  label: 'At',
  type: 'datetime',
  fieldType: 'date',
  groupName: 'leadscore',
};

function sqsEvent(messages: readonly { messageId: string; body: string }[]): SQSEvent {
  return {
    Records: messages.map(({ messageId, body }): SQSRecord => ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'worker',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:writeback',
      awsRegion: 'us-east-1',
    })),
  };
}

describe('write-back handler (SQS event → partial batch response) on DynamoDB Local and the HubSpot sandbox', () => {
  let harness: WriteBackHarness;
  let sandbox: HubSpotSandbox;
  let handler: typeof import('../../../functions/write-back').handler;

  beforeAll(async () => {
    harness = await startWriteBackHarness();
    sandbox = await startHubSpotSandbox({
      seed: 21,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: [...PROPERTIES, SCORED_AT],
    });
    Object.assign(process.env, {
      AWS_REGION: FAKE_AWS.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: harness.tables.endpoint,
      AWS_ENDPOINT_URL_SQS: harness.sqs.endpoint,
      LEADS_TABLE: harness.tables.leadsTable,
      CRM: 'hubspot',
      LEADSCORE_CRM_SECRETS: JSON.stringify({ hubspot: { accessToken: sandbox.accessToken } }),
      HUBSPOT_BASE_URL: sandbox.url,
      WRITEBACK_DLQ_URL: harness.dlqUrl,
    });
    ({ handler } = await import('../../../functions/write-back'));
  });

  afterAll(async () => {
    await sandbox.close();
    await harness.stop();
  });

  it('writes 250 leads in 3 calls, parks a deleted contact, and returns only the unsaved message to retry', async () => {
    const contacts = sandbox.seed(
      Array.from({ length: 250 }, (_, n) => ({ properties: { email: `h${n}@example.com` } })),
    );
    const leads = contacts.map((contact, n) =>
      scoredLead({
        ref: { system: 'hubspot', objectType: 'contact', id: contact.id },
        score: n % 100,
        grade: 'B',
        stage: 'lead',
        reasons: 'email-open +2',
        scoredAt: '2026-11-23T10:00:00.000Z',
      }),
    );
    await saveLeads(harness.store, leads);
    sandbox.deleteRecord(contacts[10]!.id);
    const current = announcements(leads, 1);
    const ahead = announcements([leads[20]!], 2);

    const response = await handler(sqsEvent([...current, ...ahead]), lambdaContext('write-back'));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: ahead[0]!.messageId }] });
    expect(
      sandbox
        .requests()
        .map((request) => [request.path, (request.body as { inputs: unknown[] }).inputs.length]),
    ).toEqual([
      ['/crm/v3/objects/contacts/batch/update', 100],
      ['/crm/v3/objects/contacts/batch/update', 100],
      ['/crm/v3/objects/contacts/batch/update', 50],
    ]);
    expect(sandbox.record(contacts[249]!.id)?.properties.leadscore_score).toBe('49');
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));
    expect(parked.map((entry) => entry.body.leadId)).toEqual([leads[10]!.leadId]);
    expect(parked[0]?.reason).toContain('OBJECT_NOT_FOUND');
  }, 60_000);
});
