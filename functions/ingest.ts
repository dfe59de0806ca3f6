/** Ingest Lambda: an API Gateway (v2) webhook request → verified, normalized events on the events queue. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadIngestConfig } from '../lib/config/ingest-config';
import { toHttpResult, toWebhookRequest } from '../lib/http/api-gateway';
import { createIngestRuntime, type IngestRuntime } from '../lib/ingest/ingest-runtime';
import { ingestWebhook, type IngestDeps } from '../lib/ingest/ingest-webhook';
import { httpErrors } from './shared/http-errors';
import { observability } from './shared/observability';

const { logger, metrics } = observability('ingest');
let runtime: IngestRuntime | undefined;
let publicBaseUrl: string | undefined;

/** The route is the path the API matched (explicit routes), else the raw path ($default). */
const routeOf = (event: APIGatewayProxyEventV2) =>
  event.routeKey && event.routeKey !== '$default'
    ? (event.routeKey.split(' ')[1] ?? event.rawPath)
    : event.rawPath;

export async function handleWebhook(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (!runtime) {
    const config = loadIngestConfig(process.env);
    runtime = createIngestRuntime(config);
    publicBaseUrl = config.publicBaseUrl;
  }
  const counts = new Map<string, number>();
  let source = 'unknown';
  const deps: IngestDeps = {
    ...runtime,
    routes: await runtime.routes(),
    record: (outcome, from, count) => {
      source = from;
      if (count > 0) counts.set(outcome, (counts.get(outcome) ?? 0) + count);
    },
    onError: (error, from, stage) =>
      logger.error(stage === 'queueing' ? 'could not queue events' : 'could not verify the request', {
        source: from,
        errorName: (error as Error).name,
        errorMessage: (error as Error).message,
      }),
  };
  const reply = await ingestWebhook(routeOf(event), toWebhookRequest(event, publicBaseUrl), deps);
  // One request comes from one source: one dimension for all of this invocation's metrics.
  metrics.addDimension('source', source);
  for (const [outcome, count] of counts) metrics.addMetric(`webhook_${outcome}`, MetricUnit.Count, count);
  return toHttpResult(reply);
}

export const handler = middy(handleWebhook)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(httpErrors(logger));
