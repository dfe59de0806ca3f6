/** API Gateway HTTP API (payload v2) ⇄ the webhook request and reply that the ingest use case speaks. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WebhookReply } from '../events/source';
import type { WebhookRequest } from '../events/webhook';

/**
 * Signatures such as HubSpot's v3 cover the URL the vendor called, so it is rebuilt from the Host
 * header and the raw path and query (as sent, still encoded) unless a public base URL is configured
 * (a custom domain in front of the API).
 */
export function toWebhookRequest(event: APIGatewayProxyEventV2, publicBaseUrl?: string): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const base =
    publicBaseUrl?.replace(/\/+$/, '') ?? `https://${headers.host ?? event.requestContext.domainName}`;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return {
    method: event.requestContext.http.method,
    url: `${base}${event.rawPath}${query}`,
    headers,
    rawBody: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
    sourceIp: event.requestContext.http.sourceIp,
  };
}

export function toHttpResult(reply: WebhookReply): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: reply.statusCode,
    headers: reply.contentType ? { 'content-type': reply.contentType } : {},
    body: reply.body ?? '',
  };
}
