/** How the Salesforce sandbox answers each API call: OAuth, session check, API allocation, errors in Salesforce's shape. */
import type { Router } from '../shared/router';
import type { SandboxVendor } from '../shared/sandbox-core';
import {
  bearerToken,
  formBody,
  headerValue,
  InvalidJsonError,
  jsonOrUndefined,
  retryAfterHeader,
  type SandboxRequest,
  type SandboxResponse,
} from '../shared/sandbox-http';
import type { ApiUsage } from './api-usage';
import { notFound, oauthError, salesforceError, sessionExpired } from './salesforce-errors';
import type { TokenRegistry } from './token-registry';

const SECRET_FIELDS = ['client_secret', 'assertion', 'password'];

export interface SalesforceVendorParts {
  readonly oauth: Router;
  readonly data: Router;
  readonly tokens: TokenRegistry;
  readonly usage: ApiUsage;
  readonly inspection: Router;
}

export function salesforceVendor({
  oauth,
  data,
  tokens,
  usage,
  inspection,
}: SalesforceVendorParts): SandboxVendor {
  const isOAuth = (request: SandboxRequest) => request.path.startsWith('/services/oauth2/');

  const answerData = async (request: SandboxRequest): Promise<SandboxResponse> => {
    if (!tokens.isValid(bearerToken(request))) return sessionExpired();
    if (!usage.take()) return salesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    if (!/^\/services\/data\/v\d+\.\d+\//.test(request.path)) return notFound();
    try {
      return await data.dispatch(request, notFound);
    } catch (error) {
      if (error instanceof InvalidJsonError) return salesforceError(400, 'JSON_PARSER_ERROR', error.message);
      throw error;
    }
  };

  return {
    headersOfInterest: ['sforce-auto-assign', 'sforce-call-options', 'content-type'],
    inspection,
    async handle(request) {
      if (isOAuth(request)) return oauth.dispatch(request, notFound);
      if (!request.path.startsWith('/services/data/')) return notFound();
      const response = await answerData(request);
      return { ...response, headers: { ...response.headers, ...usage.header() } };
    },
    faultResponse(request, fault) {
      const retryAfter = retryAfterHeader(fault.retryAfterSeconds);
      if (isOAuth(request)) {
        return { ...oauthError(fault.status, 'unknown_error', 'retry your request'), headers: retryAfter };
      }
      const response =
        fault.status === 429
          ? salesforceError(429, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.')
          : fault.status === 500
            ? salesforceError(
                500,
                'UNKNOWN_EXCEPTION',
                'An unexpected error occurred. Please include this ErrorId if you contact support.',
              )
            : salesforceError(fault.status, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable.');
      return { ...response, headers: { ...retryAfter, ...usage.header() } };
    },
    internalError: () => salesforceError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.'),
    logBody(request) {
      if (/x-www-form-urlencoded/i.test(headerValue(request, 'content-type') ?? '')) {
        const form = Object.fromEntries(formBody(request));
        for (const secret of SECRET_FIELDS) if (secret in form) form[secret] = '[redacted]';
        return form;
      }
      return jsonOrUndefined(request);
    },
  };
}
