/** One CloudWatch dashboard with the pipeline's key graphs, from webhook in to CRM write out. */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CRM_WRITE_FAILURES } from './alarms';
import type { LeadscoreFunction } from './leadscore-function';
import type { QueueWithDlq } from './queues';

export interface DashboardProps {
  readonly api: apigwv2.HttpApi;
  readonly queues: readonly QueueWithDlq[];
  readonly functions: readonly LeadscoreFunction[];
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(5);
const WIDE = 12;

/** A Powertools metric (namespace `leadscore`, dimension `service`). */
const appMetric = (service: string, metricName: string, label = metricName) =>
  new cloudwatch.Metric({
    namespace: 'leadscore',
    metricName,
    dimensionsMap: { service },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label,
  });

export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const graph = (title: string, left: cloudwatch.IMetric[], width = WIDE) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const perFunction = (metric: (fn: LeadscoreFunction) => cloudwatch.IMetric) =>
      props.functions.map(metric);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-pipeline`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('Webhook requests', [
        props.api.metricCount({ period: PERIOD, label: 'requests' }),
        props.api.metricClientError({ period: PERIOD, label: '4xx' }),
        props.api.metricServerError({ period: PERIOD, label: '5xx' }),
      ]),
      graph('Webhook outcomes by source (queued, rejected, malformed, ...)', [
        new cloudwatch.MathExpression({
          // The ingest function tags every outcome with its source: one line per outcome and source.
          expression: `SEARCH('{leadscore,service,source} service="ingest"', 'Sum', ${PERIOD.toSeconds()})`,
          label: '',
          period: PERIOD,
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Queue backlog (visible messages)',
        props.queues.map(({ spec, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: spec.name }),
        ),
        8,
      ),
      graph(
        'Oldest message age (s)',
        props.queues.map(({ spec, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, label: spec.name }),
        ),
        8,
      ),
      graph(
        'Dead letters',
        props.queues.map(({ spec, dlq }) =>
          dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: `${spec.name} DLQ` }),
        ),
        8,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Scoring',
        [
          appMetric('score-events', 'leads_saved'),
          appMetric('score-events', 'writebacks_announced'),
          appMetric('score-events', 'lead_conflicts'),
          appMetric('score-events', 'events_dead_lettered'),
          appMetric('decay-sweep', 'sweep_leads_due'),
          appMetric('decay-sweep', 'sweep_leads_saved'),
        ],
        WIDE,
      ),
      graph('CRM write-back', [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{leadscore,service} service="write-back"', 'Sum', ${PERIOD.toSeconds()})`,
          label: '',
          period: PERIOD,
        }),
        CRM_WRITE_FAILURES.with({ label: 'failed CRM calls (alarmed when sustained)' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        perFunction((fn) => fn.function.metricErrors({ period: PERIOD, label: fn.entry })),
        6,
      ),
      graph(
        'Function throttles',
        perFunction((fn) => fn.function.metricThrottles({ period: PERIOD, label: fn.entry })),
        6,
      ),
      graph(
        'Duration p99 (ms)',
        perFunction((fn) =>
          fn.function.metricDuration({ period: PERIOD, statistic: 'p99', label: fn.entry }),
        ),
        6,
      ),
      graph(
        'Concurrent executions',
        perFunction((fn) =>
          fn.function.metric('ConcurrentExecutions', {
            period: PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: fn.entry,
          }),
        ),
        6,
      ),
    );
  }
}
