/** The one place an unexpected error becomes an HTTP answer: 500, logged, nothing internal exposed. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export function httpErrors(
  logger: Logger,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      logger.error('request failed', { errorName: error?.name, errorMessage: error?.message });
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'internal error, retry later' }),
      };
    },
  };
}
