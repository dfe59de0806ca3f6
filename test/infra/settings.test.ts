import { Match } from 'aws-cdk-lib/assertions';
import type { LeadscoreFunction } from '../../infra/leadscore-function';
import { parseWebhookSecrets } from '../../lib/ingest/webhook-secrets';
import { expectResource, logicalIdOf, synthStack } from './synth-stack';

const ORG = '00D000000000001AAA';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';

const { stack, template } = synthStack({
  crm: 'salesforce',
  scoreFields: '{"score":"Score__c"}',
  assignOnQualificationChange: 'true',
  alarmEmail: 'ops@example.com',
  sweepScheduleMinutes: '5',
  throttleRateLimit: '20',
  throttleBurstLimit: '40',
  publicBaseUrl: 'https://hooks.example.com',
  rulesetName: 'emea',
  salesforceOrgIds: ORG,
  allowedSnsTopicArns: TOPIC,
});
const { ingest, scoreEvents, writeBack, decaySweep } = stack.functions;
const envOf = (fn: LeadscoreFunction): Record<string, unknown> =>
  template.toJSON().Resources[logicalIdOf(fn.function)].Properties.Environment.Variables;

describe('deploy settings reach the stack', () => {
  it('tells every CRM-aware function which CRM and which field names', () => {
    for (const fn of [scoreEvents, writeBack, decaySweep]) {
      expect(envOf(fn)).toMatchObject({ CRM: 'salesforce', SCORE_FIELDS: '{"score":"Score__c"}' });
    }
    expect(envOf(ingest)).not.toHaveProperty('CRM');
  });

  it('passes the rule set to the worker and the sweep, assignment to write-back, the domain to ingest', () => {
    expect(envOf(scoreEvents).RULESET_NAME).toBe('emea');
    expect(envOf(decaySweep).RULESET_NAME).toBe('emea');
    expect(envOf(writeBack).ASSIGN_ON_QUALIFICATION_CHANGE).toBe('true');
    expect(envOf(ingest).PUBLIC_BASE_URL).toBe('https://hooks.example.com');
  });

  it('schedules the sweep and throttles the API as configured', () => {
    expectResource(template, 'AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    expectResource(template, 'AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('subscribes the alarm e-mail to the alarm topic', () => {
    expectResource(template, 'AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalIdOf(stack.alarms.topic) },
    });
  });

  it('outputs a webhook secret skeleton the ingest function accepts, with the documented ids', () => {
    const skeleton = template.findOutputs('WebhookSecretsSkeleton', { Value: Match.anyValue() });
    const document = JSON.parse(Object.values(skeleton)[0]?.Value as string);

    const secrets = parseWebhookSecrets(document);
    expect(secrets.salesforce?.organizationIds).toEqual([ORG]);
    expect(secrets.ses?.topicArns).toEqual([TOPIC]);
  });

  it('names the outputs as docs/deploy.md refers to them', () => {
    const names = Object.keys(template.findOutputs('*'));
    expect(names).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'HubspotWebhookUrl',
        'SalesforceWebhookUrl',
        'SesWebhookUrl',
        'EventsUrl',
        'WebhookSecretsArn',
        'CrmSecretArn',
        'LeadsTableName',
        'ConfigTableName',
        'EventsQueueUrl',
        'WriteBackQueueUrl',
        'EventsDlqUrl',
        'WriteBackDlqUrl',
        'AlarmTopicArn',
      ]),
    );
  });
});
