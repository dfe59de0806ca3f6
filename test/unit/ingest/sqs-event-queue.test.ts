import type { SendBatch } from '../../../lib/adapters/sqs-batch-sender';
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

  it('refuses an event larger than one SQS message before sending anything', async () => {
    const { client, calls } = scriptedClient();
    const huge = leadEvent({ fields: { note: 'x'.repeat(300 * 1024) } });
    await expect(new SqsEventQueue(client, QUEUE).enqueue([huge])).rejects.toBeInstanceOf(EventTooLargeError);
    expect(calls).toHaveLength(0);
  });
});
