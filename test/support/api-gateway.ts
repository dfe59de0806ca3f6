/** Builds API Gateway HTTP API (payload v2) events as the real service sends them, for handler tests. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export function apiGatewayEvent(options: {
  method?: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  host?: string;
}): APIGatewayProxyEventV2 {
  const body = options.body ?? '';
  const binary = Buffer.isBuffer(body);
  const method = options.method ?? 'POST';
  const host = options.host ?? 'hooks.example.com';
  return {
    version: '2.0',
    routeKey: `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: options.query ?? '',
    headers: {
      host,
      ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test-request',
      routeKey: `${method} ${options.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: binary ? body.toString('base64') : body,
    isBase64Encoded: binary,
  };
}
