// Writing result lines with backpressure, and stopping quietly when the reader goes away.
import { Writable } from 'node:stream';
import { LineWriter } from '../../../lib/cli/io';

describe('LineWriter', () => {
  it('waits for a slow reader instead of buffering without bound', async () => {
    const received: string[] = [];
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString());
        setImmediate(done);
      },
    });
    const writer = new LineWriter(slow);

    for (let i = 0; i < 200; i++) {
      await writer.write(`line number ${i}`);
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
    }
    await new Promise<void>((resolve) => slow.end(resolve));

    expect(received).toHaveLength(200);
    expect(received[199]).toBe('line number 199\n');
    // Without waiting for drain, all 200 lines (~3 KB) would sit in the buffer at once.
    expect(maxBuffered).toBeLessThan(64);
    expect(slow.listenerCount('drain')).toBe(0);
    expect(slow.listenerCount('close')).toBe(0);
  });

  it('reports closed and drops lines once the stream fails', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = new LineWriter(broken);

    await writer.write('first');
    await new Promise((resolve) => setImmediate(resolve));

    expect(writer.closed).toBe(true);
    await expect(writer.write('second')).resolves.toBeUndefined();
  });
});
