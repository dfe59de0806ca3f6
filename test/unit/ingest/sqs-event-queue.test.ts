import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { SendBatch } from '../../../lib/adapters/sqs-batch-sender';
import type { LeadEvent } from '../../../lib/events/lead-event';
import { MAX_VALUE_CHARS } from '../../../lib/events/value-limits';
import { SqsEventQueue } from '../../../lib/adapters/sqs-event-queue';
import { EventTooLargeError, QueueUnavailableError } from '../../../lib/ingest/event-queue';
import { leadEvent, leadEvents } from '../../support/lead-events';

type Answer = (ids: string[]) => { Failed?: { Id: string; SenderFault: boolean; Code: string }[] } | Error;

/** A stand-in for SendMessageBatch that answers each call from a script and records the ids sent. */
function scriptedClient(...answers: Answer[]) {
  const calls: string[][] = [];
  const client: SendBatch = async (input) => {
    const ids = (input.Entries ?? []).map((entry) => entry.Id ?? '');
    calls.push(ids);
    const answer = answers[calls.length - 1] ?? (() => ({}));
    const result = answer(ids);
    if (result instanceof Error) throw result;
    return result;
  };
  return { client, calls };
}

const noSleep = async () => undefined;
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/events';

describe('SqsEventQueue', () => {
  it('sends in batches of at most ten entries', async () => {
    const { client, calls } = scriptedClient();
    await new SqsEventQueue(client, QUEUE, { sleep: noSleep }).enqueue(leadEvents(23));
    expect(calls.map((ids) => ids.length).sort()).toEqual([10, 10, 3]);
  });

  it('splits batches that would pass 256 KB', async () => {
    const { client, calls } = scriptedClient();
    const big = (n: number) => leadEvent({ fields: { note: 'x'.repeat(100 * 1024) } }, n);
    await new SqsEventQueue(client, QUEUE, { sleep: noSleep }).enqueue([big(0), big(1), big(2)]);
    expect(calls.map((ids) => ids.length)).toEqual([2, 1]);
  });

  it('retries only the entries that failed', async () => {
    const { client, calls } = scriptedClient(
      () => ({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] }),
      () => ({}),
    );
    await new SqsEventQueue(client, QUEUE, { sleep: noSleep }).enqueue(leadEvents(3));
    expect(calls).toEqual([['0', '1', '2'], ['1']]);
  });

  it('retries a thrown call and gives up as QueueUnavailableError after the last attempt', async () => {
    const down = () => Object.assign(new Error('connect ECONNREFUSED'), { name: 'ServiceUnavailable' });
    const { client, calls } = scriptedClient(down, down, down);
    const queue = new SqsEventQueue(client, QUEUE, { sleep: noSleep, maxAttempts: 3 });
    await expect(queue.enqueue(leadEvents(2))).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(calls).toHaveLength(3);
  });

  it('does not retry an entry the queue refuses as the sender’s fault', async () => {
    const { client, calls } = scriptedClient(() => ({
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }],
    }));
    const queue = new SqsEventQueue(client, QUEUE, { sleep: noSleep });
    await expect(queue.enqueue(leadEvents(1))).rejects.toThrow('InvalidMessageContents');
    expect(calls).toHaveLength(1);
  });

  it('cuts the long values of an event larger than one SQS message until it fits, and keeps the rest', async () => {
    const sent: SendMessageBatchRequestEntry[] = [];
    const client: SendBatch = async (input) => (sent.push(...(input.Entries ?? [])), {});
    const huge = leadEvent({ fields: { note: 'x'.repeat(300 * 1024), url: '/pricing' } });
    await new SqsEventQueue(client, QUEUE).enqueue([huge]);
    const [queued] = sent.map((entry) => JSON.parse(entry.MessageBody ?? '') as LeadEvent);
    expect(queued?.fields).toEqual({ note: 'x'.repeat(MAX_VALUE_CHARS), url: '/pricing' });
    expect({ ...queued, fields: undefined }).toEqual({ ...huge, fields: undefined });
  });

  it('refuses an event that no cut makes fit (too many fields), naming its source, before sending anything', async () => {
    const { client, calls } = scriptedClient();
    const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, n) => [`field${n}`, 'y'.repeat(100)]));
    const queue = new SqsEventQueue(client, QUEUE);
    const refused = queue.enqueue([leadEvent({ fields })]);
    await expect(refused).rejects.toBeInstanceOf(EventTooLargeError);
    await expect(refused).rejects.toThrow(/^api: a page\.viewed event does not fit .* too many fields$/);
    expect(calls).toHaveLength(0);
  });

  it('groups a FIFO queue by lead key, hashed where SQS would refuse it as a group id', async () => {
    const sent: SendMessageBatchRequestEntry[] = [];
    const client: SendBatch = async (input) => (sent.push(...(input.Entries ?? [])), {});
    const plain = leadEvent({ who: { email: 'ana@example.com' } }, 1);
    const unicode = leadEvent({ who: { email: 'jörg@example.com' } }, 2);
    await new SqsEventQueue(client, `${QUEUE}.fifo`).enqueue([
      plain,
      unicode,
      { ...unicode, sourceEventId: 'x' },
    ]);
    const groups = sent.map((entry) => entry.MessageGroupId);
    expect(groups[0]).toBe('email:ana@example.com');
    expect(groups[1]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(groups[2]).toBe(groups[1]);
  });
});
