/** The whole deployment in one stack: state (tables, queues, secrets), functions, API, operations. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WEBHOOK_ROUTES } from '../lib/pipeline-spec';
import { Alarms } from './alarms';
import type { AppConfig } from './app-config';
import { Dashboard } from './dashboard';
import { Functions } from './functions';
import { Queues } from './queues';
import { Secrets } from './secrets';
import { SesQueueSubscriptions } from './ses-queue-subscriptions';
import { Tables } from './tables';
import { WebhookApi } from './webhook-api';

export interface LeadscoreStackProps extends StackProps {
  readonly config: AppConfig;
}

export class LeadscoreStack extends Stack {
  readonly tables: Tables;
  readonly queues: Queues;
  readonly secrets: Secrets;
  readonly functions: Functions;
  readonly webhookApi: WebhookApi;
  readonly alarms: Alarms;
  readonly sesQueueSubscriptions: SesQueueSubscriptions;

  constructor(scope: Construct, id: string, props: LeadscoreStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.tables = new Tables(this, 'Tables');
    this.queues = new Queues(this, 'Queues');
    this.secrets = new Secrets(this, 'Secrets');
    this.sesQueueSubscriptions = new SesQueueSubscriptions(this, 'SesQueue', {
      queue: this.queues.events.queue,
      topicArns: config.sesQueueTopicArns,
    });
    this.functions = new Functions(this, 'Functions', {
      config,
      tables: this.tables,
      queues: this.queues,
      secrets: this.secrets,
    });
    this.webhookApi = new WebhookApi(this, 'Webhooks', {
      ingest: this.functions.ingest.function,
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      queues: this.queues.all,
      functions: this.functions.all,
      email: config.alarmEmail || undefined,
    });
    new Dashboard(this, 'Dashboard', {
      api: this.webhookApi.api,
      queues: this.queues.all,
      functions: this.functions.all,
      alarms: this.alarms.alarms,
    });
    this.addOutputs(config);
  }

  private addOutputs(config: AppConfig): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.webhookApi.stage.url, 'Base URL of the webhook API');
    for (const route of WEBHOOK_ROUTES) {
      output(
        `${outputIdOf(route)}Url`,
        this.webhookApi.urlOf(route),
        `Webhook URL for ${route} (add the token/parameters docs/webhooks.md gives for this source)`,
      );
    }
    output('WebhookSecretsArn', this.secrets.webhooks.secretArn, 'Fill with the webhook secrets JSON');
    output('CrmSecretArn', this.secrets.crm.secretArn, `Fill with the ${config.crm} credentials JSON`);
    output('LeadsTableName', this.tables.leads.tableName, 'Leads, identities and due times');
    output('ConfigTableName', this.tables.config.tableName, 'Rule sets (CONFIG_TABLE for the leadscore CLI)');
    output(
      'EventsQueueUrl',
      this.queues.events.queue.queueUrl,
      'Normalized events (ingest) and SES notifications (sesQueueTopicArns) → score-events',
    );
    output('EventsDlqUrl', this.queues.events.dlq.queueUrl, 'Events that could not be scored');
    output('WriteBackQueueUrl', this.queues.writeBack.queue.queueUrl, 'Score changes, → write-back');
    output('WriteBackDlqUrl', this.queues.writeBack.dlq.queueUrl, 'CRM writes that kept failing');
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'Subscribe to get the alarms');
    if (config.salesforceOrgIds.length > 0 || config.allowedSnsTopicArns.length > 0) {
      output(
        'WebhookSecretsSkeleton',
        JSON.stringify(secretsSkeleton(config)),
        'Starting point for the webhook secret: replace every <...> (see docs/deploy.md)',
      );
    }
  }
}

/** `/webhooks/hubspot` → `HubspotWebhook`, `/events` → `Events` (output ids are alphanumeric). */
export function outputIdOf(route: string): string {
  const [first = '', second] = route.split('/').filter(Boolean);
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  return second ? `${capital(second)}${capital(first).replace(/s$/, '')}` : capital(first);
}

/**
 * The documented-only settings, in the shape the webhook secret wants (lib/ingest/webhook-secrets.ts).
 * `sesQueueTopicArns` is not among them: those topics reach the events queue, not the webhook.
 */
function secretsSkeleton(config: AppConfig): Record<string, unknown> {
  return {
    ...(config.salesforceOrgIds.length > 0
      ? { salesforce: { organizationIds: config.salesforceOrgIds, urlToken: '<random, 32+ characters>' } }
      : {}),
    ...(config.allowedSnsTopicArns.length > 0 ? { ses: { topicArns: config.allowedSnsTopicArns } } : {}),
  };
}
