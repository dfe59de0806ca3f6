/** Decay sweep Lambda (scheduled): rescores the leads whose score is due to change by itself. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadWorkerConfig } from '../lib/config/worker-config';
import { sweepDueLeads, type SweepResult } from '../lib/leads/sweep-due-leads';
import { createWorkerRuntime, crmProfileReaderFrom, type WorkerRuntime } from '../lib/leads/worker-runtime';
import { logEventsDropped, observability } from './shared/observability';

const { logger, metrics } = observability('decay-sweep');
let runtime: WorkerRuntime | undefined;

/** Time kept in hand to finish the page under way; the next run picks up what is left (it is still due). */
const SAFETY_MARGIN_MS = 60_000;

export async function handleSweep(_event: unknown, context: Context): Promise<SweepResult> {
  if (!runtime) {
    const config = loadWorkerConfig(process.env);
    runtime = createWorkerRuntime(
      config,
      crmProfileReaderFrom(config, process.env),
      logEventsDropped(logger),
    );
  }
  const result = await sweepDueLeads(
    {
      ...runtime,
      onError: (error, leadId) =>
        logger.warn('lead not rescored', { leadId, errorName: (error as Error).name }),
    },
    { shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS },
  );
  metrics.addMetric('sweep_leads_due', MetricUnit.Count, result.leadsDue);
  metrics.addMetric('sweep_leads_saved', MetricUnit.Count, result.leadsSaved);
  metrics.addMetric('writebacks_announced', MetricUnit.Count, result.announced);
  logger.info('sweep done', { ...result });
  return result;
}

export const handler = middy(handleSweep).use(injectLambdaContext(logger)).use(logMetrics(metrics));
