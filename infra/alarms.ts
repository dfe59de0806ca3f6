/** Alarms on what needs a human: dead letters, stuck queues, failing or throttled functions, CRM write failures. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { LeadscoreFunction } from './leadscore-function';
import type { QueueWithDlq } from './queues';

/**
 * How old the oldest message may get before someone should look. Events are scored within seconds
 * normally; write-backs run at a reserved concurrency of 2 and wait out CRM rate limits, so they lag more.
 */
export const OLDEST_MESSAGE_AGE_SECONDS: Readonly<Record<string, number>> = {
  events: 15 * 60,
  writeback: 60 * 60,
};

/**
 * Failed CRM calls counted by write-back (functions/write-back.ts, Powertools, namespace `leadscore`).
 * They include throttles and blips it retries, so the alarm wants failures in three periods running:
 * bad credentials, renamed fields or an outage. Writes refused for good land in the write-back DLQ.
 */
export const CRM_WRITE_FAILURES = writeBackCount('writeback_crm_failed_calls', 5);

/** Writes put back on the queue after ~48 minutes of the CRM not taking them (see docs/architecture.md). */
export const WRITES_HELD = writeBackCount('writeback_held', 15);

/** A count the write-back function reports through Powertools (namespace `leadscore`), summed per period. */
function writeBackCount(metricName: string, periodMinutes: number): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'leadscore',
    metricName,
    dimensionsMap: { service: 'write-back' },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(periodMinutes),
  });
}

export interface AlarmsProps {
  readonly queues: readonly QueueWithDlq[];
  readonly functions: readonly LeadscoreFunction[];
  /** Subscribed to the alarm topic when set. */
  readonly email?: string;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // No KMS key: CloudWatch cannot publish to a topic under the AWS-managed aws/sns key, and alarm
    // notifications carry alarm names and numbers, never lead data.
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'leadscore alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    for (const { spec, queue, dlq } of props.queues) {
      this.add(`${spec.name}-dlq-depth`, {
        metric: dlq.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        description: `Messages in the ${spec.name} DLQ: look at them (reason attribute), fix, then redrive`,
      });
      this.add(`${spec.name}-oldest-message`, {
        metric: queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: OLDEST_MESSAGE_AGE_SECONDS[spec.name] ?? 15 * 60,
        description: `The ${spec.name} queue is not draining: its consumer is failing, throttled or too slow`,
      });
    }
    for (const fn of props.functions) {
      const name = fn.entry;
      const period = Duration.minutes(5);
      this.add(`${name}-errors`, {
        metric: fn.function.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        description: `${name} invocations failed (see its log group)`,
      });
      this.add(`${name}-throttles`, {
        metric: fn.function.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        description: `${name} was throttled (account concurrency, or reserved concurrency too low)`,
      });
    }
    this.add('crm-write-failures', {
      metric: CRM_WRITE_FAILURES,
      threshold: 1,
      evaluationPeriods: 3,
      description:
        'CRM calls from write-back have failed for 15 minutes (credentials, field names, API limits, outage): see write-back logs',
    });
    // Held writes are new messages, so the queue's oldest-message age stays under its threshold: this
    // alarm is what says that scores have not reached the CRM for ~48 minutes (a spent daily allocation
    // makes no failed calls either).
    this.add('crm-writes-held', {
      metric: WRITES_HELD,
      threshold: 1,
      description:
        'Write-back has put writes back on its queue: the CRM has not taken them for ~48 minutes (outage, throttling, Salesforce daily API floor); they are retried every 15 minutes, see write-back logs',
    });
  }

  private add(
    name: string,
    options: {
      metric: cloudwatch.IMetric;
      threshold: number;
      description: string;
      evaluationPeriods?: number;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: `${Stack.of(this).stackName}-${name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened (no messages, no invocations): that is fine.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
