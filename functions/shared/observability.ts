/** Powertools logger and metrics, one pair per function, namespaced `leadscore`. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export function observability(serviceName: string) {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: 'leadscore', serviceName }),
  };
}
