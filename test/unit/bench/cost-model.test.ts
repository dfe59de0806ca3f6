import {
  capacityUnits,
  costByEventsPerRequest,
  costPerMillionEvents,
  itemBytes,
} from '../../../bench/cost-model';

describe('cost model', () => {
  it('prices a million events from per-event usage at list prices', () => {
    const cost = costPerMillionEvents({
      events: 1000,
      httpRequests: 1000, // 1 per event → $1.00
      lambdaInvocations: 500, // 0.5 per event → $0.10
      lambdaGbSeconds: 10, // 0.01 GB-s per event → 10,000 GB-s per million → $0.133334
      sqsRequests: 400, // 0.4 per event → $0.16
      dynamoDbWriteUnits: 2000, // 2 per event → $1.25
      dynamoDbReadUnits: 1000, // 1 per event → $0.125
    });
    expect(cost).toEqual({
      httpApi: 1,
      lambdaRequests: 0.1,
      lambdaDuration: 0.1333,
      sqs: 0.16,
      dynamoDbWrites: 1.25,
      dynamoDbReads: 0.125,
      total: 2.7683,
    });
  });

  it('splits a measured cost into the door and what follows, and prices traffic by events per request', () => {
    // 0.01 GB-s per request → $0.133334 per million; the door costs $1.733334 per million requests.
    const split = costByEventsPerRequest({ total: 2.0, events: 2000, requests: 1000 }, 0.01, [1, 10]);
    expect(split.perMillionRequests).toBe(1.7333);
    // Half a request per event at the door ($0.866667); the rest follows the events.
    expect(split.perMillionEventsAfterTheDoor).toBe(1.1333);
    expect(split.byEventsPerRequest).toEqual({ '1': 2.8667, '10': 1.3067, queue: 1.5333 });
  });

  it('counts what SNS put on the events queue itself at the door too: one SQS request each', () => {
    // 1000 requests ($1.733334) and 500 queue deliveries ($0.40 each per million) for 2000 events.
    const split = costByEventsPerRequest(
      { total: 2.0, events: 2000, requests: 1000, queueDeliveries: 500 },
      0.01,
      [1],
    );
    expect(split.perMillionEventsAfterTheDoor).toBe(1.0333);
    expect(split.byEventsPerRequest).toEqual({ '1': 2.7667, queue: 1.4333 });
  });

  it('counts write units per started KB, doubled in transactions, and read units per 4 KB', () => {
    const small = { pk: 'LEAD#1', version: 1 };
    const big = { pk: 'LEAD#2', events: new Uint8Array(1500) };
    expect(itemBytes(small)).toBe(3 + 2 + 6 + 7 + 8);
    expect(capacityUnits('PutItem', { Item: small }, {})).toEqual({ write: 1, read: 0 });
    expect(capacityUnits('PutItem', { Item: big }, {})).toEqual({ write: 2, read: 0 });
    expect(
      capacityUnits(
        'TransactWriteItems',
        { TransactItems: [{ Put: { Item: small } }, { Put: { Item: big } }] },
        {},
      ),
    ).toEqual({ write: 6, read: 0 });
    const strong = { RequestItems: { t: { Keys: [], ConsistentRead: true } } };
    expect(capacityUnits('BatchGetItem', strong, { Responses: { t: [small, small] } })).toEqual({
      write: 0,
      read: 2,
    });
    expect(capacityUnits('GetItem', { ConsistentRead: true }, { Item: small })).toEqual({
      write: 0,
      read: 1,
    });
    expect(capacityUnits('Query', { ConsistentRead: true }, { Items: [] })).toEqual({ write: 0, read: 1 });
  });

  it('halves read units for eventually consistent reads (DynamoDB’s default)', () => {
    const small = { pk: 'LEAD#1', version: 1 };
    const stale = { RequestItems: { t: { Keys: [], ConsistentRead: false } } };
    expect(capacityUnits('BatchGetItem', stale, { Responses: { t: [small, small] } })).toEqual({
      write: 0,
      read: 1,
    });
    expect(capacityUnits('GetItem', {}, { Item: small })).toEqual({ write: 0, read: 0.5 });
    expect(capacityUnits('Query', { IndexName: 'due' }, { Items: [] })).toEqual({ write: 0, read: 0.5 });
  });
});
