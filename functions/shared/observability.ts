/** Powertools logger and metrics, one pair per function, namespaced `leadscore`. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export function observability(serviceName: string) {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: 'leadscore', serviceName }),
  };
}

/** Logs a lead whose oldest events were dropped to keep it under DynamoDB's item limit (dynamodb-lead-store.ts). */
export const logEventsDropped =
  (logger: Logger) =>
  (leadId: string, dropped: number, kept: number): void =>
    logger.warn('oldest events dropped to keep the lead under the DynamoDB item limit', {
      leadId,
      dropped,
      kept,
    });
