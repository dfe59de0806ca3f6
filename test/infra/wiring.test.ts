import { Match } from 'aws-cdk-lib/assertions';
import {
  DECAY_SWEEP,
  EVENTS_QUEUE,
  SCORE_EVENTS_CONSUMER,
  WEBHOOK_ROUTES,
  WRITEBACK_CONSUMER,
  WRITEBACK_QUEUE,
} from '../../lib/pipeline-spec';
import { expectResource, logicalIdOf, synthStack } from './synth-stack';

const { stack, template } = synthStack();
const ingestId = logicalIdOf(stack.functions.ingest.function);
const DAY_SECONDS = 24 * 60 * 60;

describe('webhook API', () => {
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
    (route) => route.Properties as { RouteKey: string; Target: unknown },
  );

  it('has exactly one integration, a Lambda proxy (payload 2.0) to the ingest function', () => {
    expect(Object.keys(integrations)).toHaveLength(1);
    expectResource(template, 'AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [ingestId, 'Arn'] },
    });
  });

  it('routes every webhook path (POST) and both probes to that integration, and nothing else', () => {
    const [integrationId] = Object.keys(integrations);
    const expected = [
      ...WEBHOOK_ROUTES.map((path) => `POST ${path}`),
      'GET /webhooks/mailchimp',
      'HEAD /webhooks/mandrill',
    ];

    expect(routes.map((route) => route.RouteKey).sort()).toEqual([...expected].sort());
    for (const route of routes) {
      expect(route.Target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
    }
  });

  it('lets API Gateway invoke the ingest function', () => {
    expectResource(template, 'AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [ingestId, 'Arn'] },
    });
  });

  it('throttles the $default stage and writes access logs to a log group', () => {
    expectResource(template, 'AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.webhookApi.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
  });

  it('outputs the API URL and one URL per webhook route', () => {
    const outputs = Object.values(template.findOutputs('*')).map((output) => output.Value);
    const endpoint = { 'Fn::GetAtt': [logicalIdOf(stack.webhookApi.api), 'ApiEndpoint'] };

    expect(template.findOutputs('ApiUrl')).not.toEqual({});
    for (const route of WEBHOOK_ROUTES) {
      expect(outputs).toContainEqual({ 'Fn::Join': ['', [endpoint, route]] });
    }
  });
});

describe('queues', () => {
  const pairs = stack.queues.all;

  it('builds the two queues of the spec', () => {
    expect(pairs.map(({ spec }) => spec)).toEqual([EVENTS_QUEUE, WRITEBACK_QUEUE]);
  });

  it.each(pairs.map((pair) => [pair.spec.name, pair]))(
    '%s: redrives to its own DLQ after the spec’s receive count, with the spec’s timings',
    (_name, { spec, queue, dlq }) => {
      const queueProps = template.toJSON().Resources[logicalIdOf(queue)].Properties;
      expect(queueProps).toMatchObject({
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        MessageRetentionPeriod: spec.retentionDays * DAY_SECONDS,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(dlq), 'Arn'] },
          maxReceiveCount: spec.maxReceiveCount,
        },
      });
    },
  );

  it('keeps dead letters for 14 days', () => {
    for (const { dlq } of pairs) {
      expect(template.toJSON().Resources[logicalIdOf(dlq)].Properties.MessageRetentionPeriod).toBe(
        14 * DAY_SECONDS,
      );
    }
  });

  it('every queue without a redrive policy is somebody’s DLQ', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const dlqTargets = new Set(
      Object.values(queues)
        .map((queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0])
        .filter(Boolean),
    );
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.RedrivePolicy !== undefined || dlqTargets.has(id)).toBe(true);
    }
    expect(Object.keys(queues)).toHaveLength(4);
  });

  it('every queue (main and DLQ) has an alarm on it', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const id of Object.keys(template.findResources('AWS::SQS::Queue'))) {
      const watched = alarms.some((alarm) =>
        (alarm.Properties.Dimensions ?? []).some(
          (dimension: { Name: string; Value: unknown }) =>
            dimension.Name === 'QueueName' &&
            JSON.stringify(dimension.Value) === JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }),
        ),
      );
      expect(watched).toBe(true);
    }
  });

  it('alarms as soon as one message sits in a DLQ', () => {
    for (const { dlq } of pairs) {
      expectResource(template, 'AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(dlq), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalIdOf(stack.alarms.topic) }],
      });
    }
  });
});

describe('consumers', () => {
  it.each([
    ['score-events', SCORE_EVENTS_CONSUMER, stack.functions.scoreEvents, stack.queues.events.queue],
    ['write-back', WRITEBACK_CONSUMER, stack.functions.writeBack, stack.queues.writeBack.queue],
  ] as const)(
    '%s reads its queue in spec-sized batches and reports item failures',
    (_name, spec, fn, queue) => {
      expectResource(template, 'AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(queue), 'Arn'] },
        FunctionName: { Ref: logicalIdOf(fn.function) },
        BatchSize: spec.batchSize,
        MaximumBatchingWindowInSeconds: spec.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('has exactly two event source mappings, all reporting item failures', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('caps write-back at its reserved concurrency, and the poller at the same number', () => {
    const reserved = WRITEBACK_CONSUMER.reservedConcurrency;
    expect(reserved).toBeDefined();
    expectResource(template, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WRITEBACK_DLQ_URL: Match.anyValue() }) },
      ReservedConcurrentExecutions: reserved,
    });
    expectResource(template, 'AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stack.functions.writeBack.function) },
      ScalingConfig: { MaximumConcurrency: reserved },
    });
  });

  it('sets each consumer’s timeout below its queue’s visibility timeout', () => {
    const fns = template.toJSON().Resources;
    for (const [fn, spec] of [
      [stack.functions.scoreEvents, SCORE_EVENTS_CONSUMER],
      [stack.functions.writeBack, WRITEBACK_CONSUMER],
    ] as const) {
      const timeout = fns[logicalIdOf(fn.function)].Properties.Timeout;
      expect(timeout).toBe(spec.timeoutSeconds);
      expect(timeout).toBeLessThan(spec.queue.visibilityTimeoutSeconds);
    }
  });
});

describe('decay sweep schedule', () => {
  it('runs the sweep every N minutes from the spec, without EventBridge retries', () => {
    expectResource(template, 'AWS::Events::Rule', {
      ScheduleExpression: `rate(${DECAY_SWEEP.scheduleMinutes} minutes)`,
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack.functions.decaySweep.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });
});

describe('operations', () => {
  it('alarms on errors and throttles of every function', () => {
    for (const fn of stack.functions.all) {
      for (const metric of ['Errors', 'Throttles']) {
        expectResource(template, 'AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn.function) } }],
        });
      }
    }
  });

  it('alarms on the age of the oldest message of both main queues', () => {
    for (const { queue } of stack.queues.all) {
      expectResource(template, 'AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }],
      });
    }
  });

  it.each([
    ['sustained CRM write failures', 'writeback_crm_failed_calls', { EvaluationPeriods: 3 }],
    [
      'writes held because the CRM has not taken them for their whole retry budget',
      'writeback_held',
      { Threshold: 1 },
    ],
  ])('alarms on %s, from the write-back’s Powertools metric', (_what, metricName, settings) => {
    expectResource(template, 'AWS::CloudWatch::Alarm', {
      Namespace: 'leadscore',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'write-back' }],
      ...settings,
    });
  });

  it('sends every alarm to the SNS topic, which only takes TLS', () => {
    const topicRef = { Ref: logicalIdOf(stack.alarms.topic) };
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
    }
    expectResource(template, 'AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has one dashboard', () => {
    expect(Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))).toHaveLength(1);
  });
});
