// The marketing-ops commands' write-back queue on a local SQS endpoint, as `npm start` prints it: the dummy
// region and keys DynamoDB Local gets, without any AWS settings in the environment.
import { openAdminRuntime } from '../../../lib/rules-admin/admin-runtime';
import { startSqsEmulator, type SqsEmulator } from '../../support/sqs-emulator';

const AWS_SETTINGS = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SQS',
] as const;

describe('openAdminRuntime with AWS_ENDPOINT_URL_SQS', () => {
  let sqs: SqsEmulator;
  let queueUrl: string;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    // The SDK reads these from process.env itself: none may help the client under test.
    for (const name of AWS_SETTINGS) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    sqs = await startSqsEmulator();
    queueUrl = await sqs.createQueue('writeback');
  });

  afterAll(async () => {
    await sqs.stop();
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  });

  it('announces write-backs with no region or credentials configured', async () => {
    const runtime = openAdminRuntime(
      { CONFIG_TABLE: 'leadscore-config', WRITEBACK_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs.endpoint },
      { writeBack: true },
    );
    try {
      await runtime.writeBacks?.announce([
        { leadId: 'hubspot:contact:1', version: 3, qualificationChanged: true },
      ]);
    } finally {
      runtime.close();
    }
    const messages = await sqs.drain(queueUrl);
    expect(messages.map((message) => JSON.parse(message.Body ?? ''))).toEqual([
      { leadId: 'hubspot:contact:1', version: 3, qualificationChanged: true },
    ]);
  });
});
