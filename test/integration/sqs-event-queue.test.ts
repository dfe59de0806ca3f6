import type { SendBatch } from '../../lib/adapters/sqs-batch-sender';
import { sdkSendBatch } from '../../lib/adapters/sqs-client';
import { SqsEventQueue } from '../../lib/adapters/sqs-event-queue';
import { LeadEventSchema } from '../../lib/events/lead-event';
import { leadEvent, leadEvents } from '../support/lead-events';
import { startSqsEmulator, type SqsEmulator } from '../support/sqs-emulator';

// The ingest function sends through its own small client; the queue logic is the same over the SDK.
const TRANSPORTS: readonly [string, (sqs: SqsEmulator) => SendBatch][] = [
  ['the ingest client (no SDK)', (sqs) => sqs.sendBatch],
  ['the SDK client', (sqs) => sdkSendBatch(sqs.client)],
];

describe.each(TRANSPORTS)('SqsEventQueue on the SQS emulator, through %s', (_name, transport) => {
  let sqs: SqsEmulator;

  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });

  afterAll(async () => {
    await sqs.stop();
  });

  it('queues exactly the events given, one message each, with routing attributes', async () => {
    const queueUrl = await sqs.createQueue(`events-standard-${_name.length}`);
    const events = leadEvents(25);

    await new SqsEventQueue(transport(sqs), queueUrl).enqueue(events);

    const messages = await sqs.drain(queueUrl);
    const received = messages.map((message) => LeadEventSchema.parse(JSON.parse(message.Body ?? '')));
    expect(received.sort((a, b) => a.sourceEventId.localeCompare(b.sourceEventId))).toEqual(
      [...events].sort((a, b) => a.sourceEventId.localeCompare(b.sourceEventId)),
    );
    expect(messages[0]?.MessageAttributes?.source?.StringValue).toBe('api');
    expect(messages[0]?.MessageAttributes?.type?.StringValue).toBe('page.viewed');
  });

  it('groups a FIFO queue by lead and drops a re-sent event as a duplicate', async () => {
    const queueUrl = await sqs.createQueue('events.fifo', { FifoQueue: 'true' });
    const byCrmId = leadEvent({ who: { crm: { system: 'hubspot', objectType: 'contact', id: '51' } } }, 1);
    const byEmail = leadEvent({ who: { email: 'Ana@Example.com' } }, 2);
    const queue = new SqsEventQueue(transport(sqs), queueUrl);

    await queue.enqueue([byCrmId, byEmail]);
    await queue.enqueue([byCrmId]);

    const messages = await sqs.drain(queueUrl);
    expect(messages.map((message) => message.Attributes?.MessageGroupId).sort()).toEqual([
      'email:ana@example.com',
      'hubspot:51',
    ]);
  });

  it('keeps characters SQS refuses by escaping them inside the JSON body', async () => {
    const queueUrl = await sqs.createQueue('events-odd-chars');
    const odd = leadEvent({ fields: { url: 'https://example.com/\uFFFF' } });

    await new SqsEventQueue(transport(sqs), queueUrl).enqueue([odd]);

    const [message] = await sqs.drain(queueUrl);
    expect(JSON.parse(message?.Body ?? '')).toEqual(odd);
  });
});
