/**
 * The real ingest handler (functions/ingest.ts, middy and all) on the SQS emulator, configured from the
 * environment as deployed, with every source installed; what it queued is read back with the real SDK.
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LeadEventSchema, type LeadEvent } from '../../../lib/events/lead-event';
import type { ParsedBatch } from '../../../lib/events/source';
import { toWebhookRequest } from '../../../lib/http/api-gateway';
import { lambdaContext } from '../../support/lambda-context';
import { TEST_WEBHOOK_SECRETS } from '../../support/signed-requests';
import { FAKE_AWS, startSqsEmulator, type SqsEmulator } from '../../support/sqs-emulator';

export interface Queued {
  /** The message bodies as LeadEvents (each checked against the schema), by sourceEventId. */
  readonly events: LeadEvent[];
  readonly messages: Message[];
}

export interface IngestHarness {
  readonly sqs: SqsEmulator;
  readonly queueUrl: string;
  invoke(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  /** Metric name → value the last invocation recorded (webhook_queued, webhook_rejected, …). */
  readonly metrics: ReadonlyMap<string, number>;
  /** Drains the events queue. */
  queued(): Promise<Queued>;
  stop(): Promise<void>;
}

export const bySourceEventId = (events: readonly LeadEvent[]): LeadEvent[] =>
  [...events].sort((a, b) => a.sourceEventId.localeCompare(b.sourceEventId));

/** What the source's own parser makes of the request the handler received: the expected queue contents. */
export function expectedEvents(
  event: APIGatewayProxyEventV2,
  parse: (request: ReturnType<typeof toWebhookRequest>, now: Date) => ParsedBatch,
): LeadEvent[] {
  return bySourceEventId(parse(toWebhookRequest(event), new Date()).events);
}

export async function startIngestHarness(): Promise<IngestHarness> {
  const sqs = await startSqsEmulator();
  const queueUrl = await sqs.createQueue('ingest-events');
  Object.assign(process.env, {
    AWS_REGION: FAKE_AWS.region,
    AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    EVENTS_QUEUE_URL: queueUrl,
    LEADSCORE_WEBHOOK_SECRETS: JSON.stringify(TEST_WEBHOOK_SECRETS),
  });
  // The handler reads its configuration on first use, and jest gives each test file its own modules.
  const { handler } = await import('../../../functions/ingest');
  const { Metrics } = await import('@aws-lambda-powertools/metrics');
  const metrics = new Map<string, number>();
  const addMetric = Metrics.prototype.addMetric;
  jest.spyOn(Metrics.prototype, 'addMetric').mockImplementation(function (
    this: InstanceType<typeof Metrics>,
    name,
    unit,
    value,
  ) {
    metrics.set(name, (metrics.get(name) ?? 0) + value);
    return addMetric.call(this, name, unit, value);
  });

  return {
    sqs,
    queueUrl,
    metrics,
    async invoke(event) {
      metrics.clear();
      return (await handler(event, lambdaContext('ingest'))) as APIGatewayProxyStructuredResultV2;
    },
    async queued() {
      const messages = await sqs.drain(queueUrl);
      const events = messages.map((message) => LeadEventSchema.parse(JSON.parse(message.Body ?? '')));
      return { events: bySourceEventId(events), messages };
    },
    stop: () => sqs.stop(),
  };
}
