/**
 * The pipeline's queues and consumers as data, so that the CDK app and the local runner (`npm start`)
 * build the same thing: names, batch sizes, windows, timeouts, redrive.
 */
export interface QueueSpec {
  /** Logical name; deployed names are prefixed by the stack. */
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries before SQS moves a message to the queue's DLQ. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
}

export interface ConsumerSpec {
  readonly queue: QueueSpec;
  /** The Lambda entry under functions/. */
  readonly entry: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Bounds CRM call rates (write-back); undefined = unreserved. */
  readonly reservedConcurrency?: number;
}

export const EVENTS_QUEUE: QueueSpec = {
  name: 'events',
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  retentionDays: 14,
};

export const WRITEBACK_QUEUE: QueueSpec = {
  name: 'writeback',
  visibilityTimeoutSeconds: 360,
  maxReceiveCount: 8,
  retentionDays: 14,
};

export const SCORE_EVENTS_CONSUMER: ConsumerSpec = {
  queue: EVENTS_QUEUE,
  entry: 'score-events',
  batchSize: 50,
  maxBatchingWindowSeconds: 1,
  timeoutSeconds: 30,
  memoryMb: 512,
};

export const WRITEBACK_CONSUMER: ConsumerSpec = {
  queue: WRITEBACK_QUEUE,
  entry: 'write-back',
  // A full HubSpot batch (100) and a Salesforce composite call (≤200) per invocation when traffic allows.
  batchSize: 200,
  maxBatchingWindowSeconds: 5,
  timeoutSeconds: 60,
  memoryMb: 512,
  reservedConcurrency: 2,
};

export const DECAY_SWEEP = {
  entry: 'decay-sweep',
  scheduleMinutes: 15,
  timeoutSeconds: 300,
  memoryMb: 512,
} as const;

export const INGEST = {
  entry: 'ingest',
  timeoutSeconds: 10,
  memoryMb: 256,
} as const;

/** Every webhook route the HTTP API serves (POST; Mailchimp also GETs, Mandrill HEADs, to probe). */
export const WEBHOOK_ROUTES = [
  '/webhooks/hubspot',
  '/webhooks/salesforce',
  '/webhooks/sendgrid',
  '/webhooks/mandrill',
  '/webhooks/mailchimp',
  '/webhooks/mailgun',
  '/webhooks/postmark',
  '/webhooks/ses',
  '/events',
] as const;
