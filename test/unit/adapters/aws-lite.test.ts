import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import {
  AwsConfigError,
  awsJsonClient,
  AwsServiceError,
  SECRETS_MANAGER_SERVICE,
  signV4,
  SQS_SERVICE,
} from '../../../lib/adapters/aws-lite';
import { jsonSecretReader, liteGetSecretString } from '../../../lib/adapters/secrets-manager';

const toBytes = (data: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);

/** The SDK's own signer, with node's SHA-256, as the oracle for ours. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : toBytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

async function sdkAuthorization(
  url: URL,
  headers: Record<string, string>,
  body: string,
  service: string,
  region: string,
  now: Date,
  sessionToken?: string,
) {
  const signer = new SignatureV4({
    service,
    region,
    credentials: { ...CREDENTIALS, sessionToken },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      body,
    },
    { signingDate: now },
  );
  return signed.headers.authorization;
}

describe('signV4', () => {
  it('signs exactly as the AWS SDK signer does, for any body, target, region, time and session', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.constantFrom('SendMessageBatch', 'GetSecretValue', 'SendMessage'),
        fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2'),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.option(
          fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && !/\s\s/.test(s)),
        ),
        fc.constantFrom(
          'https://sqs.us-east-1.amazonaws.com',
          'http://127.0.0.1:9324/',
          'https://x.example/a b/c',
        ),
        async (body, action, region, time, token, endpoint) => {
          const url = new URL(endpoint);
          const now = new Date(time);
          const headers = {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AmazonSQS.${action}`,
          };
          const ours = signV4(
            { method: 'POST', url, headers, body },
            {
              service: 'sqs',
              region,
              now,
              credentials: { ...CREDENTIALS, sessionToken: token ?? undefined },
            },
          );
          const theirs = await sdkAuthorization(url, headers, body, 'sqs', region, now, token ?? undefined);
          return ours.authorization === theirs;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adds the date and the session token to what it signs', () => {
    const signed = signV4(
      { method: 'POST', url: new URL('https://sqs.us-east-1.amazonaws.com/'), headers: {}, body: '{}' },
      {
        service: 'sqs',
        region: 'us-east-1',
        now: new Date('2026-11-23T12:34:56.789Z'),
        credentials: { ...CREDENTIALS, sessionToken: 'token' },
      },
    );
    expect(signed['x-amz-date']).toBe('20261123T123456Z');
    expect(signed['x-amz-security-token']).toBe('token');
    expect(signed.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261123\/us-east-1\/sqs\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });
});

describe('awsJsonClient (against a local server)', () => {
  let server: Server;
  let endpoint: string;
  let answer: (request: IncomingMessage, body: string) => { status: number; body: string };
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        const reply = answer(request, body);
        response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' }).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const env = () => ({
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKID',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
  });

  it('reads a JSON secret with GetSecretValue, signed for Secrets Manager in the region', async () => {
    answer = () => ({
      status: 200,
      body: JSON.stringify({ SecretString: '{"hubspot":{"clientSecret":"x"}}' }),
    });

    const secret = await jsonSecretReader(liteGetSecretString(env()), 'leadscore/webhooks')();

    expect(secret).toEqual({ hubspot: { clientSecret: 'x' } });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!.body)).toEqual({ SecretId: 'leadscore/webhooks' });
    expect(seen[0]!.headers).toMatchObject({
      'x-amz-target': 'secretsmanager.GetSecretValue',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-security-token': 'session',
    });
    expect(seen[0]!.headers.authorization).toContain('/eu-west-1/secretsmanager/aws4_request');
  });

  it('says a secret without a value must be filled', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:...' }) });
    await expect(jsonSecretReader(liteGetSecretString(env()), 'leadscore/webhooks')()).rejects.toThrow(
      'secret leadscore/webhooks has no value yet: fill it (see README, deploy)',
    );
  });

  it('turns an error answer into an AwsServiceError named by its __type', async () => {
    answer = () => ({
      status: 400,
      body: JSON.stringify({
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      }),
    });
    const call = awsJsonClient(SQS_SERVICE, { ...env(), AWS_ENDPOINT_URL_SQS: endpoint });

    const error = await call('SendMessageBatch', { QueueUrl: 'q', Entries: [] }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'QueueDoesNotExist',
      statusCode: 400,
      message: 'The specified queue does not exist.',
    });
  });

  it('names the missing variable when there are no credentials', async () => {
    const call = awsJsonClient(SECRETS_MANAGER_SERVICE, {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: endpoint,
    });
    await expect(call('GetSecretValue', {})).rejects.toThrow(AwsConfigError);
    await expect(call('GetSecretValue', {})).rejects.toThrow('AWS_ACCESS_KEY_ID is not set');
    expect(seen).toEqual([]);
  });

  it('sends again once, on a fresh connection, when the kept-alive one was closed under it', async () => {
    let resets = 1;
    answer = () => ({ status: 200, body: JSON.stringify({ SecretString: '{"ok":true}' }) });
    const dropFirst = (request: IncomingMessage) => {
      if (resets-- > 0) request.socket.destroy();
    };
    server.prependListener('request', dropFirst);
    try {
      expect(await jsonSecretReader(liteGetSecretString(env()), 'leadscore/webhooks')()).toEqual({
        ok: true,
      });
    } finally {
      server.removeListener('request', dropFirst);
    }
  });

  it('fails, rather than hangs, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const call = awsJsonClient(SQS_SERVICE, { ...env(), AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` });

    await expect(call('SendMessageBatch', {})).rejects.toThrow();
  });
});
