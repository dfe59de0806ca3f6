// The events queue going away under the real ingest handler: every source answers 503 so that its sender
// retries, and never 200 for something that was not queued.
import { startIngestHarness, type IngestHarness } from './harness';
import { HANDLER_ROUTES } from './samples';

describe('ingest handler with the events queue down', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it('answers 200 while the queue is up, then 503 on every route once it is gone', async () => {
    const before: [string, number][] = [];
    for (const sample of HANDLER_ROUTES)
      before.push([sample.route, (await harness.invoke(sample.valid())).statusCode ?? 0]);
    expect(before).toEqual(HANDLER_ROUTES.map((sample) => [sample.route, 200]));

    await harness.sqs.stop();
    const results: [string, number][] = [];
    for (const sample of HANDLER_ROUTES)
      results.push([sample.route, (await harness.invoke(sample.valid())).statusCode ?? 0]);

    expect(results).toEqual(HANDLER_ROUTES.map((sample) => [sample.route, 503]));
  });
});
