/** The public HTTP API: every webhook route to the ingest function, throttled, with access logs. */
import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WEBHOOK_ROUTES } from '../lib/pipeline-spec';

/** Probes some senders make before they start posting (Mailchimp checks the URL, Mandrill HEADs it). */
export const PROBE_ROUTES = [
  { method: apigwv2.HttpMethod.GET, path: '/webhooks/mailchimp' },
  { method: apigwv2.HttpMethod.HEAD, path: '/webhooks/mandrill' },
] as const;

export interface WebhookApiProps {
  readonly ingest: lambda.IFunction;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
}

export class WebhookApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'leadscore webhooks',
      // Our own $default stage below, so that it carries throttling and access logs.
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        // No query string or body: Mailchimp and Salesforce carry their URL token in the query.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            route: '$context.routeKey',
            status: '$context.status',
            bytes: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Ingest', props.ingest);
    const routes = [
      ...WEBHOOK_ROUTES.map((path) => ({ method: apigwv2.HttpMethod.POST, path })),
      ...PROBE_ROUTES,
    ];
    for (const { method, path } of routes) {
      this.api.addRoutes({ path, methods: [method], integration });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Webhook senders (HubSpot, Salesforce, SendGrid, Mailgun, SNS...) cannot sign with IAM or present Cognito tokens: each request is authenticated in the ingest function by its source-specific signature, URL token or basic auth before anything is queued',
    });
  }

  /** The public URL of a route (the stage is $default, so no stage segment). */
  urlOf(path: string): string {
    return `${this.api.apiEndpoint}${path}`;
  }
}
