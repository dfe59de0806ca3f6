import { PassThrough } from 'node:stream';
import { formatProgress, ProgressReporter } from '../../../lib/rules-admin/progress';

describe('formatProgress', () => {
  it('draws a bar with percent, counts, rate and ETA', () => {
    // 250 of 1000 at 50/s: 750 left take 15 s; 25% of 20 cells is 5.
    expect(formatProgress(250, 1000, 50, 5000, 20)).toBe(
      '[#####---------------]  25% 250/~1,000 leads · 50/s · ETA 0:15',
    );
  });

  it('stays full without an ETA past the estimated total, and shows elapsed time without a total', () => {
    expect(formatProgress(1200, 1000, 100, 12_000, 10)).toBe('[##########] 100% 1,200/~1,000 leads · 100/s');
    expect(formatProgress(3723, undefined, 1, 3_723_000)).toBe('3,723 leads · 1/s · 1:02:03 elapsed');
  });
});

describe('ProgressReporter', () => {
  function capture(tty: boolean) {
    const stream = Object.assign(new PassThrough(), { isTTY: tty });
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  }

  it('redraws one line in place on a terminal', () => {
    let clock = 0;
    const out = capture(true);
    const progress = new ProgressReporter(out.stream, { label: 'rescore', total: 100, clock: () => clock });

    clock = 1000;
    progress.add(10);
    clock = 1050; // within 100 ms: not redrawn
    progress.add(10);
    clock = 2000;
    progress.finish();

    const draws = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(draws).toHaveLength(2);
    expect(draws[1]).toBe('rescore: [#####-------------------]  20% 20/~100 leads · 10/s · ETA 0:08\n');
  });

  it('writes plain lines at intervals when stderr is not a terminal, counting the rate of this run only', () => {
    let clock = 0;
    const out = capture(false);
    const progress = new ProgressReporter(out.stream, {
      label: 'rescore',
      total: 1000,
      initial: 500,
      clock: () => clock,
      lineIntervalMs: 10_000,
    });

    clock = 1000;
    progress.add(100);
    clock = 5000;
    progress.add(100);
    clock = 10_000;
    progress.finish();

    expect(out.text().split('\n').filter(Boolean)).toEqual([
      'rescore: [##############----------]  60% 600/~1,000 leads · 100/s · ETA 0:04',
      'rescore: [#################-------]  70% 700/~1,000 leads · 20/s · ETA 0:15',
    ]);
  });
});

describe('ProgressReporter.finish', () => {
  it('shows 100% for a finished job even when the estimate was too high', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    let clock = 0;
    const progress = new ProgressReporter(stream, { label: 'simulate', total: 400, clock: () => clock });

    progress.add(200);
    clock = 2000;
    progress.finish(true);

    expect(text.trim().split('\n').at(-1)).toBe(
      'simulate: [########################] 100% 200/~200 leads · 100/s',
    );
  });
});
