/**
 * The whole pipeline on one machine: local AWS, a sandbox CRM (or a real one), the real Lambda handlers
 * behind a local HTTP API and SQS pollers, and the decay sweep on a timer. Used by `npm start` and e2e tests.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { DynamoDbRuleStore } from '../lib/adapters/dynamodb-rule-store';
import { checkRulesFile } from '../lib/cli/load-rules';
import type { Rules } from '../lib/scoring';
import { DECAY_SWEEP, SCORE_EVENTS_CONSUMER, WRITEBACK_CONSUMER } from '../lib/pipeline-spec';
import { loadOrCreateDevSecrets, type DevSecrets } from './dev-secrets';
import { LOCAL_AWS } from './dynamodb-local';
import { startHttpGateway, type HttpHandler } from './http-gateway';
import { startLocalAws, type LocalAws, type VisibilityTimeouts } from './local-aws';
import { startHubSpotSandbox, type HubSpotSandbox } from './sandbox/hubspot-sandbox';
import {
  DEFAULT_CONNECTED_APP,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from './sandbox/salesforce-sandbox';
import { startPoller, type Poller } from './sqs-poller';

/** The shipped rules, with each CRM's own field names. */
export const DEFAULT_RULES_FILES = {
  hubspot: join(__dirname, '..', 'rules', 'default.yaml'),
  salesforce: join(__dirname, '..', 'rules', 'default-salesforce.yaml'),
} as const;

/** Contact properties the default rules read that a new HubSpot portal lacks (an admin would add them). */
const HUBSPOT_RULE_PROPERTIES = [
  {
    name: 'numberofemployees',
    label: 'Number of employees',
    type: 'number',
    fieldType: 'number',
    groupName: 'contactinformation',
  },
] as const;

export interface LocalStackOptions {
  readonly crm?: 'hubspot' | 'salesforce';
  /** Port of the webhook API (0 = any free port). */
  readonly port?: number;
  readonly rulesFile?: string;
  readonly visibilityTimeoutSeconds?: VisibilityTimeouts;
  /** Seeds the sandbox CRM's fault injection, so that a run's faults can be replayed. */
  readonly crmSeed?: number;
  readonly sweepIntervalMs?: number;
  readonly secrets?: DevSecrets;
  /** Logs one line per event of interest; silent when undefined. */
  readonly log?: (line: string) => void;
  /** Told of every function invocation: which, how long it took, and its event (tests, the benchmark). */
  readonly onInvoke?: (name: string, durationMs: number, event: unknown) => void;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly crm: 'hubspot' | 'salesforce';
  readonly hubspot?: HubSpotSandbox;
  readonly salesforce?: SalesforceSandbox;
  readonly aws: LocalAws;
  readonly secrets: DevSecrets;
  /** The environment the functions run with (the `leadscore` CLI needs some of it to work on this stack). */
  readonly environment: Readonly<Record<string, string>>;
  /** Resolves once every queue is empty and no batch is being processed. */
  settle(timeoutMs?: number): Promise<void>;
  /** The bodies parked in each dead-letter queue (read without removing them). */
  deadLetters(): Promise<{ events: string[]; writeBack: string[] }>;
  /** Runs one decay sweep now (also run on a timer). */
  sweep(): Promise<unknown>;
  /** Puts a message on the events queue as an SNS subscription would (SES by queue: `sesQueueTopicArns`). */
  toEventsQueue(body: string): Promise<void>;
  stop(): Promise<void>;
}

const context = (name: string): Context =>
  ({
    functionName: `leadscore-${name}`,
    awsRequestId: `local-${Date.now()}`,
    getRemainingTimeInMillis: () => 60_000,
  }) as unknown as Context;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const crm = options.crm ?? 'hubspot';
  const secrets = options.secrets ?? loadOrCreateDevSecrets();
  const log = options.log ?? (() => undefined);
  // What can fail fast does, before anything starts: the rules file, then the webhook port.
  const rulesFile = options.rulesFile ?? DEFAULT_RULES_FILES[crm];
  const rules = await readRules(rulesFile);
  let ingest: HttpHandler = async () => ({ statusCode: 503, body: '{"message":"leadscore is starting"}' });
  const gateway = await startHttpGateway((event) => ingest(event), options.port ?? 0);
  const closers: (() => Promise<unknown>)[] = [() => gateway.close()];
  try {
    const aws = await startLocalAws({ visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
    closers.push(() => aws.stop());
    const hubspot =
      crm === 'hubspot'
        ? await startHubSpotSandbox({ properties: HUBSPOT_RULE_PROPERTIES, seed: options.crmSeed })
        : undefined;
    const salesforce =
      crm === 'salesforce' ? await startSalesforceSandbox({ seed: options.crmSeed }) : undefined;
    closers.push(
      async () => hubspot?.close(),
      async () => salesforce?.close(),
    );
    await pushRules(aws, rulesFile, rules);
    const environment = {
      ...handlerEnvironment(aws, secrets, crm, hubspot, salesforce),
      PUBLIC_BASE_URL: gateway.url,
      // Held writes come back after one visibility timeout, the pace every retry here keeps.
      ...(options.visibilityTimeoutSeconds?.writeBack !== undefined
        ? { WRITEBACK_HOLD_DELAY_SECONDS: String(Math.min(900, options.visibilityTimeoutSeconds.writeBack)) }
        : {}),
    };
    Object.assign(process.env, environment);
    await setUpCrmFields(crm, log);
    // Handlers read their configuration on first use, so they are loaded once the environment is set.
    const timed = <E, R>(name: string, run: (event: E, context: Context) => Promise<R>) => {
      return async (event: E): Promise<R> => {
        const started = performance.now();
        try {
          return await run(event, context(name));
        } finally {
          options.onInvoke?.(name, performance.now() - started, event);
        }
      };
    };
    const [ingestFunction, scoreEvents, writeBack, decaySweep] = await Promise.all([
      import('../functions/ingest'),
      import('../functions/score-events'),
      import('../functions/write-back'),
      import('../functions/decay-sweep'),
    ]);
    ingest = timed('ingest', ingestFunction.handler);
    const pollers: Poller[] = [
      startPoller({
        client: aws.sqs,
        queueUrl: aws.queues.events.url,
        queueArn: aws.queues.events.arn,
        handler: timed('score-events', scoreEvents.handler),
        batchSize: SCORE_EVENTS_CONSUMER.batchSize,
        maxBatchingWindowSeconds: SCORE_EVENTS_CONSUMER.maxBatchingWindowSeconds,
        concurrency: 2,
        onBatch: ({ received, failed }) => log(`score-events: ${received} event(s), ${failed} to retry`),
      }),
      startPoller({
        client: aws.sqs,
        queueUrl: aws.queues.writeBack.url,
        queueArn: aws.queues.writeBack.arn,
        handler: timed('write-back', writeBack.handler),
        batchSize: WRITEBACK_CONSUMER.batchSize,
        maxBatchingWindowSeconds: WRITEBACK_CONSUMER.maxBatchingWindowSeconds,
        concurrency: WRITEBACK_CONSUMER.reservedConcurrency,
        onBatch: ({ received, failed }) => log(`write-back: ${received} lead(s), ${failed} to retry`),
      }),
    ];
    closers.unshift(() => Promise.all(pollers.map((poller) => poller.stop())));
    const sweep = () => timed('decay-sweep', decaySweep.handler)({});
    const timer = setInterval(
      () => void sweep().catch(() => undefined),
      options.sweepIntervalMs ?? DECAY_SWEEP.scheduleMinutes * 60_000,
    );
    closers.unshift(async () => clearInterval(timer));
    return {
      apiUrl: gateway.url,
      crm,
      hubspot,
      salesforce,
      aws,
      secrets,
      environment,
      settle: (timeoutMs) => settle(aws, pollers, timeoutMs),
      deadLetters: async () => ({
        events: await peek(aws, aws.queues.events.dlqUrl),
        writeBack: await peek(aws, aws.queues.writeBack.dlqUrl),
      }),
      sweep,
      toEventsQueue: async (body) => {
        const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
        await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.events.url, MessageBody: body }));
      },
      stop: async () => {
        for (const close of closers) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** The rules file checked as `leadscore rules validate` checks it (compiled too), before anything starts. */
async function readRules(file: string): Promise<Rules> {
  const check = await checkRulesFile(file);
  if (!check.ok) throw new Error(`${file} is not a valid rules file:\n${check.problems.join('\n')}`);
  return check.rules;
}

async function pushRules(aws: LocalAws, file: string, rules: Rules): Promise<void> {
  const store = new DynamoDbRuleStore(DynamoDBDocumentClient.from(aws.dynamodb), aws.tables.config);
  const version = await store.push(rules, { createdBy: 'npm start', note: `loaded from ${file}` });
  await store.activate(version.version, { activatedBy: 'npm start' });
}

function handlerEnvironment(
  aws: LocalAws,
  secrets: DevSecrets,
  crm: 'hubspot' | 'salesforce',
  hubspot?: HubSpotSandbox,
  salesforce?: SalesforceSandbox,
): Record<string, string> {
  const crmSecrets = hubspot
    ? { hubspot: { accessToken: hubspot.accessToken } }
    : {
        salesforce: {
          loginUrl: salesforce?.url ?? '',
          clientId: DEFAULT_CONNECTED_APP.consumerKey,
          clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
        },
      };
  return {
    // Metrics as EMF lines and info logs would drown the terminal; warnings still show.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: aws.sqsEndpoint,
    EVENTS_QUEUE_URL: aws.queues.events.url,
    EVENTS_DLQ_URL: aws.queues.events.dlqUrl,
    WRITEBACK_QUEUE_URL: aws.queues.writeBack.url,
    WRITEBACK_DLQ_URL: aws.queues.writeBack.dlqUrl,
    LEADS_TABLE: aws.tables.leads,
    CONFIG_TABLE: aws.tables.config,
    LEADSCORE_WEBHOOK_SECRETS: JSON.stringify(secrets.webhooks),
    // SES through SNS with no network: the dev certificate answers its dev URL (lib/config/ingest-config.ts).
    LEADSCORE_LOCAL_SNS_CERTIFICATES: JSON.stringify({
      [secrets.sns.certificateUrl]: secrets.sns.certificate,
    }),
    CRM: crm,
    LEADSCORE_CRM_SECRETS: JSON.stringify(crmSecrets),
    ...(hubspot ? { HUBSPOT_BASE_URL: hubspot.url } : {}),
    ...(salesforce ? { SALESFORCE_LOGIN_URL: salesforce.url } : {}),
  };
}

async function settle(aws: LocalAws, pollers: readonly Poller[], timeoutMs = 60_000): Promise<void> {
  const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (quietChecks < 3) {
    if (Date.now() > deadline) throw new Error('the local pipeline did not settle in time');
    await Promise.all(pollers.map((poller) => poller.idle()));
    let pending = 0;
    for (const queue of [aws.queues.events, aws.queues.writeBack]) {
      const { Attributes = {} } = await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      pending += Number(Attributes.ApproximateNumberOfMessages ?? 0);
      pending += Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      pending += Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    }
    quietChecks = pending === 0 ? quietChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What an admin does once: `leadscore crm setup` creates the fields scores are written to. */
async function setUpCrmFields(crm: 'hubspot' | 'salesforce', log: (line: string) => void): Promise<void> {
  const { main } = await import('../lib/cli/main');
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await main(['crm', 'setup', '--crm', crm, '--create'], {
    stdin: new PassThrough(),
    stdout: output,
    stderr: output,
  });
  const text = Buffer.concat(chunks).toString().trim();
  if (code !== 0) throw new Error(`leadscore crm setup failed:\n${text}`);
  for (const line of text.split('\n')) log(`crm setup: ${line}`);
}

/** Every body on a queue, left there: what was received is made visible again before returning. */
async function peek(aws: LocalAws, queueUrl: string): Promise<string[]> {
  const { ReceiveMessageCommand, ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
  const bodies = new Map<string, string>();
  const handles: string[] = [];
  try {
    for (let round = 0; round < 20; round++) {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        bodies.set(message.MessageId ?? '', message.Body ?? '');
        if (message.ReceiptHandle) handles.push(message.ReceiptHandle);
      }
    }
  } finally {
    for (const handle of handles) {
      await aws.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: handle,
          VisibilityTimeout: 0,
        }),
      );
    }
  }
  return [...bodies.values()];
}
