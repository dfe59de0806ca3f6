/** Scoring worker Lambda: SQS batches of normalized events → leads rescored, write-backs announced. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadWorkerConfig } from '../lib/config/worker-config';
import { scoreEventBatch } from '../lib/leads/score-event-batch';
import { createWorkerRuntime, crmProfileReaderFrom, type WorkerRuntime } from '../lib/leads/worker-runtime';
import { logEventsDropped, observability } from './shared/observability';

const { logger, metrics } = observability('score-events');
const processor = new BatchProcessor(EventType.SQS);
let runtime: WorkerRuntime | undefined;

/** A lead whose update did not land this time; SQS delivers its messages again. */
export class LeadUpdateFailedError extends Error {
  override readonly name = 'LeadUpdateFailedError';
}

export async function handleEventBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  if (!runtime) {
    const config = loadWorkerConfig(process.env);
    runtime = createWorkerRuntime(
      config,
      crmProfileReaderFrom(config, process.env),
      logEventsDropped(logger),
    );
  }
  const outcome = await scoreEventBatch(event.Records, {
    ...runtime,
    onError: (error, leadId) =>
      logger.warn('lead not updated', {
        leadId,
        errorName: (error as Error).name,
        errorMessage: (error as Error).message,
      }),
  });
  metrics.addMetric('leads_saved', MetricUnit.Count, outcome.leadsSaved);
  metrics.addMetric('writebacks_announced', MetricUnit.Count, outcome.announced);
  metrics.addMetric('lead_conflicts', MetricUnit.Count, outcome.conflicts);
  metrics.addMetric('events_dead_lettered', MetricUnit.Count, outcome.deadLettered);
  const failed = new Set(outcome.failedKeys);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      if (failed.has(record.messageId)) throw new LeadUpdateFailedError(record.messageId);
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
}

export const handler = middy(handleEventBatch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
