// What a queue that stays unavailable is reported as: the SDK error's name and its message.
import { QueueSendError, SqsBatchSender } from '../../../lib/adapters/sqs-batch-sender';

const QUEUE = 'http://127.0.0.1:1/123456789012/writeback';
const entries = [{ Id: '0', MessageBody: '{}' }];
const noSleep = async () => undefined;

describe('SqsBatchSender, queue unavailable', () => {
  it('names the error and says what it was, after every attempt failed', async () => {
    let calls = 0;
    const sender = new SqsBatchSender(
      async () => {
        calls += 1;
        throw new Error('Region is missing');
      },
      QUEUE,
      { maxAttempts: 3, sleep: noSleep },
    );
    const failure = sender.send(entries);
    await expect(failure).rejects.toThrow(QueueSendError);
    await expect(failure).rejects.toThrow(/^queue unavailable: Error: Region is missing$/);
    expect(calls).toBe(3);
  });

  it('reports a thrown non-Error as it is', async () => {
    const sender = new SqsBatchSender(() => Promise.reject('socket hang up'), QUEUE, {
      maxAttempts: 1,
      sleep: noSleep,
    });
    await expect(sender.send(entries)).rejects.toThrow(/^queue unavailable: socket hang up$/);
  });
});
