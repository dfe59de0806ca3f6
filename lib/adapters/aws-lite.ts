/**
 * A small AWS client for the ingest function's two calls (SQS SendMessageBatch, Secrets Manager
 * GetSecretValue): AWS JSON protocol over node:https, signed with Signature Version 4.
 *
 * Why not the SDK here: loading `@aws-sdk/client-sqs` and `client-secrets-manager` takes ~85 ms of the
 * webhook's cold start, and vendors wait on that start (the target is 50 ms). The worker, write-back and
 * sweep keep the SDK. Credentials and region come from the environment the Lambda runtime sets
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`); endpoints may be
 * overridden like the SDK's (`AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`).
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { notifyAwsObservers } from './aws-observer';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Lower-case names; every one is signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SigningParams {
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEncode = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The headers to send: the request's, plus host, x-amz-date, the session token and the authorization. */
export function signV4(request: SignableRequest, params: SigningParams): Record<string, string> {
  const amzDate = params.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'x-amz-date': amzDate,
    ...(params.credentials.sessionToken ? { 'x-amz-security-token': params.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const signedHeaders = names.join(';');
  // The path as sent is already percent-encoded; services other than S3 sign it encoded once more.
  const path = request.url.pathname.split('/').map(uriEncode);
  const canonicalRequest = [
    request.method,
    path.join('/') || '/',
    canonicalQuery(request.url),
    ...names.map((name) => `${name}:${String(lower[name]).trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${date}/${params.region}/${params.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${params.credentials.secretAccessKey}`, date);
  for (const part of [params.region, params.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${params.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** An AWS service answered with an error (its `__type`, e.g. `AWS.SimpleQueueService.NonExistentQueue`). */
export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export interface AwsJsonService {
  /** The signing name and the SDK's endpoint variable suffix. */
  readonly signingName: 'sqs' | 'secretsmanager';
  readonly endpointVariable: 'SQS' | 'SECRETS_MANAGER';
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  readonly observedAs?: 'sqs';
}

export const SQS_SERVICE: AwsJsonService = {
  signingName: 'sqs',
  endpointVariable: 'SQS',
  targetPrefix: 'AmazonSQS',
  jsonVersion: '1.0',
  observedAs: 'sqs',
};

export const SECRETS_MANAGER_SERVICE: AwsJsonService = {
  signingName: 'secretsmanager',
  endpointVariable: 'SECRETS_MANAGER',
  targetPrefix: 'secretsmanager',
  jsonVersion: '1.1',
};

type Env = Readonly<Record<string, string | undefined>>;

export class AwsConfigError extends Error {
  override readonly name = 'AwsConfigError';
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value)
    throw new AwsConfigError(`${name} is not set (the Lambda runtime sets it; set it to run locally)`);
  return value;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** Bounds each call: a hung connection must not hold the webhook until the function's timeout. */
const CALL_TIMEOUT_MS = 3_000;

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: agents[url.protocol === 'http:' ? 'http:' : 'https:'],
        timeout: CALL_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new AwsServiceError('TimeoutError', 'no answer in time', 0)));
    request.on('error', reject);
    request.end(body);
  });
}

const isStaleConnection = (error: unknown) =>
  ['ECONNRESET', 'EPIPE'].includes(String((error as { code?: unknown }).code));

/** Calls one action of an AWS JSON-protocol service; resolves with its parsed answer, or throws AwsServiceError. */
export function awsJsonClient(service: AwsJsonService, env: Env = process.env) {
  return async <T>(action: string, input: object): Promise<T> => {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? required(env, 'AWS_REGION');
    const endpoint =
      env[`AWS_ENDPOINT_URL_${service.endpointVariable}`] ??
      env.AWS_ENDPOINT_URL ??
      `https://${service.signingName}.${region}.amazonaws.com`;
    const url = new URL(endpoint);
    const body = JSON.stringify(input);
    const headers = signV4(
      {
        method: 'POST',
        url,
        body,
        headers: {
          'content-type': `application/x-amz-json-${service.jsonVersion}`,
          'x-amz-target': `${service.targetPrefix}.${action}`,
        },
      },
      {
        service: service.signingName,
        region,
        now: new Date(),
        credentials: {
          accessKeyId: required(env, 'AWS_ACCESS_KEY_ID'),
          secretAccessKey: required(env, 'AWS_SECRET_ACCESS_KEY'),
          sessionToken: env.AWS_SESSION_TOKEN,
        },
      },
    );
    let output: unknown;
    try {
      const { status, text } = await post(url, headers, body).catch((error: unknown) => {
        // A kept-alive socket the service closed while the function was frozen: the request never
        // reached it, so sending it again on a fresh connection is safe (and is what the SDK does).
        if (!isStaleConnection(error)) throw error;
        return post(url, headers, body);
      });
      const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      if (status < 200 || status >= 300) {
        const type = String(parsed.__type ?? `HTTP${status}`);
        const message = String(parsed.message ?? parsed.Message ?? `${action} answered ${status}`);
        throw new AwsServiceError(type.slice(type.lastIndexOf('#') + 1), message, status);
      }
      output = parsed;
      return parsed as T;
    } finally {
      if (service.observedAs)
        notifyAwsObservers({ service: service.observedAs, operation: action, input, output });
    }
  };
}
