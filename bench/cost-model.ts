// Dollars per million events at us-east-1 list prices, from measured request counts and Lambda durations.

/** List prices (us-east-1) as given in the project's reference (Lambda on ARM). */
export const PRICES = {
  httpApiPerMillion: 1.0,
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecond: 0.0000133334,
  sqsPerMillion: 0.4,
  dynamoDbWriteUnitsPerMillion: 0.625,
  dynamoDbReadUnitsPerMillion: 0.125,
} as const;

export interface MeasuredUsage {
  readonly events: number;
  readonly httpRequests: number;
  readonly lambdaInvocations: number;
  /** Σ duration × configured memory, in GB-seconds. */
  readonly lambdaGbSeconds: number;
  /** SQS requests, each billed per 64 KB chunk (ours are far smaller). */
  readonly sqsRequests: number;
  readonly dynamoDbWriteUnits: number;
  readonly dynamoDbReadUnits: number;
}

export interface CostPerMillionEvents {
  readonly httpApi: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly sqs: number;
  readonly dynamoDbWrites: number;
  readonly dynamoDbReads: number;
  readonly total: number;
}

const round = (dollars: number) => Math.round(dollars * 10_000) / 10_000;

export function costPerMillionEvents(usage: MeasuredUsage): CostPerMillionEvents {
  const perEvent = (count: number) => count / usage.events;
  const parts = {
    httpApi: perEvent(usage.httpRequests) * PRICES.httpApiPerMillion,
    lambdaRequests: perEvent(usage.lambdaInvocations) * PRICES.lambdaRequestsPerMillion,
    lambdaDuration: perEvent(usage.lambdaGbSeconds) * 1_000_000 * PRICES.lambdaGbSecond,
    sqs: perEvent(usage.sqsRequests) * PRICES.sqsPerMillion,
    dynamoDbWrites: perEvent(usage.dynamoDbWriteUnits) * PRICES.dynamoDbWriteUnitsPerMillion,
    dynamoDbReads: perEvent(usage.dynamoDbReadUnits) * PRICES.dynamoDbReadUnitsPerMillion,
  };
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0);
  return {
    httpApi: round(parts.httpApi),
    lambdaRequests: round(parts.lambdaRequests),
    lambdaDuration: round(parts.lambdaDuration),
    sqs: round(parts.sqs),
    dynamoDbWrites: round(parts.dynamoDbWrites),
    dynamoDbReads: round(parts.dynamoDbReads),
    total: round(total),
  };
}

/** What one webhook request costs at the door, whatever it carries: HTTP API, the ingest invocation, its SQS send. */
export function dollarsPerMillionRequests(ingestGbSecondsPerRequest: number): number {
  return (
    PRICES.httpApiPerMillion +
    PRICES.lambdaRequestsPerMillion +
    PRICES.sqsPerMillion +
    ingestGbSecondsPerRequest * 1_000_000 * PRICES.lambdaGbSecond
  );
}

/**
 * A measured cost per million events split into the door (per request) and what follows (per event),
 * then priced for traffic whose requests carry k events each: vendors differ by that alone at the door
 * (Mailgun, Postmark, Mailchimp and SES by webhook send one event per request; SendGrid and Mandrill
 * batch; HubSpot sends up to 100). Events that SNS put on the events queue itself (SES by queue) passed
 * no door but their one SQS request; `queue` prices traffic that all came that way.
 */
export function costByEventsPerRequest(
  measured: {
    readonly total: number;
    readonly events: number;
    /** HTTP requests. */
    readonly requests: number;
    /** Messages SNS put on the events queue itself (one SQS request each). */
    readonly queueDeliveries?: number;
  },
  ingestGbSecondsPerRequest: number,
  eventsPerRequest: readonly number[],
): {
  perMillionRequests: number;
  perMillionEventsAfterTheDoor: number;
  byEventsPerRequest: Record<string, number>;
} {
  const perRequest = dollarsPerMillionRequests(ingestGbSecondsPerRequest);
  const atTheDoor = perRequest * measured.requests + PRICES.sqsPerMillion * (measured.queueDeliveries ?? 0);
  const afterTheDoor = measured.total - atTheDoor / measured.events;
  return {
    perMillionRequests: round(perRequest),
    perMillionEventsAfterTheDoor: round(afterTheDoor),
    byEventsPerRequest: {
      ...Object.fromEntries(eventsPerRequest.map((k) => [String(k), round(perRequest / k + afterTheDoor)])),
      queue: round(PRICES.sqsPerMillion + afterTheDoor),
    },
  };
}

/** DynamoDB item size as DynamoDB counts it, near enough: names plus values (binary by bytes). */
export function itemBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, item) => sum + 1 + itemBytes(item), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, item]) => sum + Buffer.byteLength(name) + itemBytes(item),
      0,
    )
  );
}

/**
 * On-demand capacity units a request consumes: writes in 1 KB units (×2 in transactions), reads in 4 KB
 * units, halved when eventually consistent (DynamoDB's default when ConsistentRead is not true).
 */
export function capacityUnits(
  operation: string,
  input: unknown,
  output: unknown,
): { write: number; read: number } {
  const kb = (bytes: number, unit: number) => Math.max(1, Math.ceil(bytes / unit));
  const record = (input ?? {}) as Record<string, unknown>;
  switch (operation) {
    case 'PutItem':
      return { write: kb(itemBytes(record.Item), 1024), read: 0 };
    case 'UpdateItem':
    case 'DeleteItem':
      return { write: 1, read: 0 };
    case 'TransactWriteItems': {
      const items = (record.TransactItems as Record<string, { Item?: unknown }>[] | undefined) ?? [];
      const write = items.reduce(
        (sum, item) => sum + 2 * kb(itemBytes(Object.values(item)[0]?.Item ?? {}), 1024),
        0,
      );
      return { write, read: 0 };
    }
    case 'BatchGetItem':
    case 'GetItem':
    case 'Query': {
      const requests = (record.RequestItems ?? {}) as Record<string, { ConsistentRead?: boolean }>;
      const consistent =
        operation === 'BatchGetItem'
          ? Object.values(requests).every((request) => request.ConsistentRead === true)
          : record.ConsistentRead === true;
      const out = (output ?? {}) as {
        Responses?: Record<string, unknown[]>;
        Item?: unknown;
        Items?: unknown[];
      };
      const items = out.Responses
        ? Object.values(out.Responses).flat()
        : (out.Items ?? (out.Item ? [out.Item] : []));
      const units = items.reduce((sum: number, item) => sum + kb(itemBytes(item), 4096), 0) || 1;
      return { write: 0, read: consistent ? units : units / 2 };
    }
    default:
      return { write: 0, read: 0 };
  }
}
