/**
 * The four functions and what each may touch. Only the functions that call the CRM read its secret:
 * score-events and the decay sweep (profile reads; the sweep reads only for leads the worker had to save
 * without their profile) and write-back. The sweep hands CRM writes to write-back.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import {
  DECAY_SWEEP,
  INGEST,
  SCORE_EVENTS_CONSUMER,
  WRITEBACK_CONSUMER,
  type ConsumerSpec,
} from '../lib/pipeline-spec';
import type { AppConfig } from './app-config';
import { LeadscoreFunction, type FunctionSettings } from './leadscore-function';
import type { QueueWithDlq, Queues } from './queues';
import type { Secrets } from './secrets';
import type { Tables } from './tables';

export interface FunctionsProps {
  readonly config: AppConfig;
  readonly tables: Tables;
  readonly queues: Queues;
  readonly secrets: Secrets;
}

export class Functions extends Construct {
  readonly ingest: LeadscoreFunction;
  readonly scoreEvents: LeadscoreFunction;
  readonly writeBack: LeadscoreFunction;
  readonly decaySweep: LeadscoreFunction;
  readonly sweepSchedule: events.Rule;

  constructor(scope: Construct, id: string, { config, tables, queues, secrets }: FunctionsProps) {
    super(scope, id);
    const crmSettings: FunctionSettings = {
      CRM: config.crm,
      ...(Object.keys(config.scoreFields).length > 0
        ? { SCORE_FIELDS: JSON.stringify(config.scoreFields) }
        : {}),
    };
    const workerSettings: FunctionSettings = { ...crmSettings, RULESET_NAME: config.rulesetName };

    this.ingest = new LeadscoreFunction(this, 'Ingest', {
      ...INGEST,
      settings: config.publicBaseUrl ? { PUBLIC_BASE_URL: config.publicBaseUrl } : {},
    })
      .sendTo(queues.events.queue, 'EVENTS_QUEUE_URL')
      .readSecret(secrets.webhooks, 'WEBHOOK_SECRETS_ID');

    this.scoreEvents = consumer(this, 'ScoreEvents', SCORE_EVENTS_CONSUMER, queues.events, workerSettings)
      .useLeadsTable(tables.leads, 'readWrite')
      .readConfigTable(tables.config)
      .sendTo(queues.writeBack.queue, 'WRITEBACK_QUEUE_URL')
      // The worker parks messages that can never succeed itself, with the reason attached.
      .sendTo(queues.events.dlq, 'EVENTS_DLQ_URL')
      .readSecret(secrets.crm, 'CRM_SECRET_ID');

    this.writeBack = consumer(this, 'WriteBack', WRITEBACK_CONSUMER, queues.writeBack, {
      ...crmSettings,
      ASSIGN_ON_QUALIFICATION_CHANGE: config.assignOnQualificationChange ? 'true' : 'false',
    })
      .useLeadsTable(tables.leads, 'readAndMark')
      .sendTo(queues.writeBack.dlq, 'WRITEBACK_DLQ_URL')
      // Writes the CRM cannot take yet (outage, spent daily allocation) wait on the queue, not in the DLQ.
      .sendTo(queues.writeBack.queue, 'WRITEBACK_QUEUE_URL')
      .readSecret(secrets.crm, 'CRM_SECRET_ID');

    // A failed sweep is not retried: the next scheduled run finds the same leads still due.
    this.decaySweep = new LeadscoreFunction(this, 'DecaySweep', {
      ...DECAY_SWEEP,
      retryAttempts: 0,
      settings: workerSettings,
    })
      .useLeadsTable(tables.leads, 'readWrite', { queryDueIndex: true })
      .readConfigTable(tables.config)
      .sendTo(queues.writeBack.queue, 'WRITEBACK_QUEUE_URL')
      .knowQueueUrl(queues.events.dlq, 'EVENTS_DLQ_URL')
      .readSecret(secrets.crm, 'CRM_SECRET_ID');
    this.sweepSchedule = new events.Rule(this, 'SweepSchedule', {
      description: 'leadscore: rescore the leads whose score is due to change by itself',
      schedule: events.Schedule.rate(Duration.minutes(config.sweepScheduleMinutes)),
      targets: [new targets.LambdaFunction(this.decaySweep.function, { retryAttempts: 0 })],
    });
  }

  get all(): readonly LeadscoreFunction[] {
    return [this.ingest, this.scoreEvents, this.writeBack, this.decaySweep];
  }
}

/** A function fed by an SQS queue, reporting partial batch failures (one bad lead never fails a batch). */
function consumer(
  scope: Construct,
  id: string,
  spec: ConsumerSpec,
  source: QueueWithDlq,
  settings: FunctionSettings,
): LeadscoreFunction {
  const fn = new LeadscoreFunction(scope, id, { ...spec, settings });
  fn.function.addEventSource(
    new SqsEventSource(source.queue, {
      batchSize: spec.batchSize,
      maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
      reportBatchItemFailures: true,
      // With reserved concurrency the poller must not outrun it, or Lambda throttles and messages
      // burn their receive count on throttles instead of real attempts.
      ...(spec.reservedConcurrency !== undefined ? { maxConcurrency: spec.reservedConcurrency } : {}),
    }),
  );
  return fn;
}
