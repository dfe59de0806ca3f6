import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SqsWriteBackQueue } from '../../lib/adapters/sqs-write-back-queue';
import { startSqsEmulator, type SqsEmulator } from '../support/sqs-emulator';

describe('SqsWriteBackQueue on the SQS emulator', () => {
  let sqs: SqsEmulator;

  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });

  afterAll(() => sqs.stop());

  it('announces write-back requests as one JSON message each', async () => {
    const queueUrl = await sqs.createQueue('writeback-announce');
    const requests = Array.from({ length: 12 }, (_, n) => ({
      leadId: `hubspot:contact:${n}`,
      version: n + 1,
      qualificationChanged: n % 2 === 0,
    }));

    await new SqsWriteBackQueue(sqs.client, queueUrl).announce(requests);

    const bodies = (await sqs.drain(queueUrl)).map((message) => JSON.parse(message.Body ?? ''));
    expect(bodies.sort((a, b) => a.version - b.version)).toEqual(requests);
  });

  it('holds requests back: new messages, delivered only after the delay', async () => {
    const queueUrl = await sqs.createQueue('writeback-hold');
    const body = JSON.stringify({ leadId: 'hubspot:contact:7', version: 4, qualificationChanged: true });

    // Three seconds: the checks below must finish before the message comes out, even on a busy machine.
    await new SqsWriteBackQueue(sqs.client, queueUrl).hold([body], 3);

    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect(await sqs.drain(queueUrl)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    const [message] = await sqs.drain(queueUrl);
    expect(message?.Body).toBe(body);
    expect(message?.Attributes?.ApproximateReceiveCount).toBe('1');
  });
});
