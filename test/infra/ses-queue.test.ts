import { AwsSolutionsChecks } from 'cdk-nag';
import { parseWebhookSecrets } from '../../lib/ingest/webhook-secrets';
import { expectResource, logicalIdOf, synthStack, type SynthResult } from './synth-stack';

const SAME_ACCOUNT = 'arn:aws:sns:us-east-1:123456789012:ses-events';
const OTHER_REGION = 'arn:aws:sns:eu-west-1:210987654321:ses-feedback';
const BY_WEBHOOK = 'arn:aws:sns:eu-west-1:123456789012:ses-webhook';

interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Principal?: unknown;
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const queueArnOf = (result: SynthResult) => ({
  'Fn::GetAtt': [logicalIdOf(result.stack.queues.events.queue), 'Arn'],
});

/** Every queue policy statement, with the logical id of the queue it belongs to. */
function queueStatements(result: SynthResult): { queueId: string; statement: PolicyStatement }[] {
  return Object.values(result.template.findResources('AWS::SQS::QueuePolicy')).flatMap((policy) => {
    const props = policy.Properties as {
      Queues: { Ref: string }[];
      PolicyDocument: { Statement: PolicyStatement[] };
    };
    return props.Queues.flatMap(({ Ref: queueId }) =>
      props.PolicyDocument.Statement.map((statement) => ({ queueId, statement })),
    );
  });
}

const fromSns = (statement: PolicyStatement) => JSON.stringify(statement.Principal ?? {}).includes('sns.');
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const sqsSubscriptions = (result: SynthResult) =>
  Object.entries(
    result.template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sqs' } }),
  );

describe('SES by queue (sesQueueTopicArns)', () => {
  const result = synthStack({
    sesQueueTopicArns: `${SAME_ACCOUNT},${OTHER_REGION}`,
    allowedSnsTopicArns: BY_WEBHOOK,
  });
  const { template } = result;

  it('subscribes the events queue to each topic, SNS envelopes (raw delivery off), in the topic’s region', () => {
    const subscriptions = sqsSubscriptions(result);
    expect(subscriptions.map(([, resource]) => resource.Properties.TopicArn).sort()).toEqual(
      [SAME_ACCOUNT, OTHER_REGION].sort(),
    );
    for (const [topicArn, region] of [
      [SAME_ACCOUNT, 'us-east-1'],
      [OTHER_REGION, 'eu-west-1'],
    ]) {
      expectResource(template, 'AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: topicArn,
        Endpoint: queueArnOf(result),
        Region: region,
      });
    }
  });

  it('never asks for raw delivery (the worker reads the envelope), nor filters anything out', () => {
    for (const [, subscription] of sqsSubscriptions(result)) {
      expect(subscription.Properties.RawMessageDelivery).not.toBe(true);
      expect(subscription.Properties).not.toHaveProperty('FilterPolicy');
    }
  });

  it('subscribes only once the queue policy lets SNS send', () => {
    const policyId = Object.keys(template.findResources('AWS::SQS::QueuePolicy')).find(
      (id) =>
        JSON.stringify(template.toJSON().Resources[id].Properties.Queues) ===
        JSON.stringify([{ Ref: logicalIdOf(result.stack.queues.events.queue) }]),
    );
    expect(policyId).toBeDefined();
    for (const [, subscription] of sqsSubscriptions(result)) {
      expect(subscription.DependsOn).toContain(policyId);
    }
  });

  it('lets SNS send to the events queue only, and only for exactly those topics (aws:SourceArn)', () => {
    const snsStatements = queueStatements(result).filter(({ statement }) => fromSns(statement));

    expect(snsStatements.length).toBeGreaterThan(0);
    const sourceArns: unknown[] = [];
    for (const { queueId, statement } of snsStatements) {
      expect(queueId).toBe(logicalIdOf(result.stack.queues.events.queue));
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Resource: queueArnOf(result),
      });
      expect(asList(statement.Action)).toEqual(['sqs:SendMessage']);
      // Exactly one condition, on the source topic: nothing else widens or loosens it.
      expect(Object.keys(statement.Condition ?? {})).toEqual(['ArnEquals']);
      expect(Object.keys(statement.Condition?.ArnEquals ?? {})).toEqual(['aws:SourceArn']);
      sourceArns.push(...asList(statement.Condition?.ArnEquals?.['aws:SourceArn']));
    }
    expect(sourceArns.sort()).toEqual([SAME_ACCOUNT, OTHER_REGION].sort());
  });

  it('keeps the events queue TLS-only and SSE-SQS encrypted', () => {
    expect(
      queueStatements(result).some(
        ({ queueId, statement }) =>
          queueId === logicalIdOf(result.stack.queues.events.queue) &&
          statement.Effect === 'Deny' &&
          JSON.stringify(statement.Condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      ),
    ).toBe(true);
    expect(
      template.toJSON().Resources[logicalIdOf(result.stack.queues.events.queue)].Properties
        .SqsManagedSseEnabled,
    ).toBe(true);
  });

  it('leaves those topics out of the webhook secret skeleton (they need no secret)', () => {
    const skeleton = Object.values(template.findOutputs('WebhookSecretsSkeleton'))[0]?.Value as string;
    const secrets = parseWebhookSecrets(JSON.parse(skeleton));
    expect(secrets.ses?.topicArns).toEqual([BY_WEBHOOK]);
    expect(skeleton).not.toContain(SAME_ACCOUNT);
    expect(skeleton).not.toContain(OTHER_REGION);
  });

  it('outputs no skeleton when the queue topics are the only SES setting', () => {
    const queueOnly = synthStack({ sesQueueTopicArns: SAME_ACCOUNT });
    expect(queueOnly.template.findOutputs('WebhookSecretsSkeleton')).toEqual({});
    expect(sqsSubscriptions(queueOnly)).toHaveLength(1);
  });

  it('keeps the same subscription (logical id) for a topic when the list is reordered', () => {
    const reordered = synthStack({ sesQueueTopicArns: [OTHER_REGION, SAME_ACCOUNT] });
    const idsOf = (r: SynthResult) =>
      Object.fromEntries(sqsSubscriptions(r).map(([id, resource]) => [resource.Properties.TopicArn, id]));
    expect(idsOf(reordered)).toEqual(idsOf(result));
  });

  it('passes cdk-nag with nothing new to acknowledge', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(result.stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
  });
});

describe('without sesQueueTopicArns', () => {
  const result = synthStack({ allowedSnsTopicArns: BY_WEBHOOK });

  it('subscribes no queue to any topic', () => {
    expect(sqsSubscriptions(result)).toEqual([]);
    expect(result.stack.sesQueueSubscriptions.subscriptions).toEqual([]);
  });

  it('lets SNS send to no queue', () => {
    expect(queueStatements(result).filter(({ statement }) => fromSns(statement))).toEqual([]);
  });
});
