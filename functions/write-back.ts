/** Write-back Lambda: SQS batches of write-back requests → the leads' current scores written to the CRM. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadWriteBackConfig } from '../lib/config/writeback-config';
import { outcomeCounts, writeBack } from '../lib/writeback/write-back';
import { createWriteBackRuntime, type WriteBackRuntime } from '../lib/writeback/writeback-runtime';
import { observability } from './shared/observability';

const { logger, metrics } = observability('write-back');
const processor = new BatchProcessor(EventType.SQS);
let runtime: WriteBackRuntime | undefined;

/** A write that did not happen this time; SQS delivers the message again after its visibility timeout. */
export class WriteBackDeferredError extends Error {
  override readonly name = 'WriteBackDeferredError';
}

export async function handleWriteBackBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  runtime ??= createWriteBackRuntime(loadWriteBackConfig(process.env));
  const outcome = await writeBack(event.Records, {
    ...runtime,
    deadlineAt: runtime.clock() + context.getRemainingTimeInMillis(),
    onError: (error, what) =>
      logger.warn('write-back step failed', { what, errorName: (error as Error).name }),
  });
  for (const [name, value] of Object.entries(outcomeCounts(outcome))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
  if (outcome.stoppedFor) {
    logger.warn('write-back stopped early; the rest waits on the queue', {
      stoppedFor: outcome.stoppedFor,
      stopDetail: outcome.stopDetail,
      deferred: outcome.deferred,
      dailyUsage: runtime.budget.dailyUsage,
    });
  }
  const failed = new Set(outcome.failedMessageIds);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      if (failed.has(record.messageId)) throw new WriteBackDeferredError(record.messageId);
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
}

export const handler = middy(handleWriteBackBatch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
