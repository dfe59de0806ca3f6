import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppConfigError, parseAppConfig } from '../../infra/app-config';
import { DECAY_SWEEP } from '../../lib/pipeline-spec';

const ORG_A = '00D000000000001AAA';
const ORG_B = '00D5e000000XyZ1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
const QUEUE_TOPIC = 'arn:aws:sns:us-east-1:210987654321:ses-feedback';

describe('parseAppConfig', () => {
  it('defaults every setting, the sweep schedule from the pipeline spec', () => {
    expect(parseAppConfig({})).toEqual({
      stackName: 'Leadscore',
      crm: 'hubspot',
      scoreFields: {},
      salesforceOrgIds: [],
      allowedSnsTopicArns: [],
      sesQueueTopicArns: [],
      sweepScheduleMinutes: DECAY_SWEEP.scheduleMinutes,
      assignOnQualificationChange: false,
      alarmEmail: '',
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      publicBaseUrl: '',
      rulesetName: 'default',
    });
  });

  it('cdk.json lists exactly the defaults (it documents them)', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '../../cdk.json'), 'utf8'));
    const { sweepScheduleMinutes: _fromSpec, ...defaults } = parseAppConfig({});

    expect(parseAppConfig(cdkJson.context)).toEqual(parseAppConfig({}));
    expect(cdkJson.context).toMatchObject(defaults);
  });

  it('reads `-c key=value` text: JSON, comma lists, numbers and booleans', () => {
    const config = parseAppConfig({
      crm: 'salesforce',
      scoreFields: '{"score":"Score__c","grade":"Grade__c"}',
      salesforceOrgIds: `${ORG_A}, ${ORG_B}`,
      allowedSnsTopicArns: TOPIC,
      sesQueueTopicArns: ` ${QUEUE_TOPIC} , arn:aws:sns:eu-west-1:123456789012:other`,
      sweepScheduleMinutes: '5',
      assignOnQualificationChange: 'true',
      alarmEmail: 'ops@example.com',
      throttleRateLimit: '20',
      throttleBurstLimit: '40',
      publicBaseUrl: 'https://hooks.example.com',
      rulesetName: 'emea',
    });

    expect(config).toMatchObject({
      crm: 'salesforce',
      scoreFields: { score: 'Score__c', grade: 'Grade__c' },
      salesforceOrgIds: [ORG_A, ORG_B],
      allowedSnsTopicArns: [TOPIC],
      sesQueueTopicArns: [QUEUE_TOPIC, 'arn:aws:sns:eu-west-1:123456789012:other'],
      sweepScheduleMinutes: 5,
      assignOnQualificationChange: true,
      alarmEmail: 'ops@example.com',
      throttleRateLimit: 20,
      throttleBurstLimit: 40,
      publicBaseUrl: 'https://hooks.example.com',
      rulesetName: 'emea',
    });
  });

  it('reads JSON values as cdk.json holds them', () => {
    const config = parseAppConfig({
      salesforceOrgIds: [ORG_A],
      assignOnQualificationChange: true,
      throttleRateLimit: 7,
    });
    expect(config.salesforceOrgIds).toEqual([ORG_A]);
    expect(config.assignOnQualificationChange).toBe(true);
    expect(config.throttleRateLimit).toBe(7);
  });

  it('names every wrong setting at once', () => {
    const parse = () =>
      parseAppConfig({
        crm: 'pipedrive',
        scoreFields: '{"scor":"x"}',
        salesforceOrgIds: '00Dshort',
        sweepScheduleMinutes: '0',
        alarmEmail: 'not-an-address',
        publicBaseUrl: 'http://insecure.example.com',
      });

    expect(parse).toThrow(AppConfigError);
    let message = '';
    try {
      parse();
    } catch (error) {
      message = (error as Error).message;
    }
    for (const key of [
      'crm',
      'scoreFields',
      'salesforceOrgIds.0',
      'sweepScheduleMinutes',
      'alarmEmail',
      'publicBaseUrl',
    ]) {
      expect(message).toMatch(new RegExp(`^  ${key.replace('.', '\\.')}: `, 'm'));
    }
  });

  it('lists the score fields there are for a misspelt one', () => {
    expect(() => parseAppConfig({ scoreFields: '{"scor":"x"}' })).toThrow(
      'scoreFields: Unrecognized key: "scor" (the fields are score, grade, stage, reasons, scoredAt)',
    );
  });

  it.each([
    ['salesforce', { score: 'My Score' }, 'scoreFields.score: "My Score" is not a Salesforce API name'],
    [
      'salesforce',
      { score: 'Score__c', grade: 'Score__c' },
      'scoreFields.grade: "Score__c" is also the score field',
    ],
    ['salesforce', { grade: 'Lead_Score__c' }, 'scoreFields.grade: "Lead_Score__c" is also the score field'],
    ['hubspot', { score: 'LeadScore' }, 'scoreFields.score: "LeadScore" is not a HubSpot internal name'],
  ])('refuses %s score field names the CRM would refuse or that collide: %j', (crm, fields, problem) => {
    expect(() => parseAppConfig({ crm, scoreFields: JSON.stringify(fields) })).toThrow(problem);
  });

  it('accepts field names each CRM takes, standard Salesforce fields included', () => {
    expect(() =>
      parseAppConfig({ crm: 'salesforce', scoreFields: '{"grade":"Rating","score":"Score_2__c"}' }),
    ).not.toThrow();
    expect(() =>
      parseAppConfig({ crm: 'hubspot', scoreFields: '{"score":"hs_lead_score_2"}' }),
    ).not.toThrow();
  });

  it('flags a misspelt setting but leaves CDK’s own context keys alone', () => {
    const context = { crn: 'hubspot', '@aws-cdk/core:newStyleStackSynthesis': true, 'cli-telemetry': false };
    expect(() => parseAppConfig(context)).toThrow(/crn: not a leadscore setting/);
    expect(() => parseAppConfig({ 'aws:cdk:bundling-stacks': [], 'cli-telemetry': false })).not.toThrow();
  });

  it('refuses a burst limit below the rate limit', () => {
    expect(() => parseAppConfig({ throttleRateLimit: 100, throttleBurstLimit: 10 })).toThrow(
      /throttleBurstLimit: must be at least throttleRateLimit/,
    );
  });

  describe('sesQueueTopicArns', () => {
    const messageOf = (context: Record<string, unknown>): string => {
      try {
        parseAppConfig(context);
      } catch (error) {
        expect(error).toBeInstanceOf(AppConfigError);
        return (error as Error).message;
      }
      throw new Error('expected the settings to be refused');
    };

    it('reads a JSON list as cdk.json holds it', () => {
      expect(parseAppConfig({ sesQueueTopicArns: [QUEUE_TOPIC] }).sesQueueTopicArns).toEqual([QUEUE_TOPIC]);
      expect(parseAppConfig({ sesQueueTopicArns: `["${QUEUE_TOPIC}"]` }).sesQueueTopicArns).toEqual([
        QUEUE_TOPIC,
      ]);
    });

    it.each([
      ['a queue ARN', 'arn:aws:sqs:us-east-1:123456789012:events'],
      ['a short account id', 'arn:aws:sns:us-east-1:1234:ses-events'],
      ['a topic name alone', 'ses-events'],
    ])('refuses %s, naming the entry', (_what, arn) => {
      expect(messageOf({ sesQueueTopicArns: [QUEUE_TOPIC, arn] })).toMatch(
        /^ {2}sesQueueTopicArns\.1: not an SNS topic ARN \(arn:aws:sns:<region>:<12-digit account>:<topic name>\)$/m,
      );
    });

    it('refuses a topic that allowedSnsTopicArns also lists (each event would come twice)', () => {
      const message = messageOf({ sesQueueTopicArns: `${QUEUE_TOPIC},${TOPIC}`, allowedSnsTopicArns: TOPIC });
      expect(message).toMatch(
        new RegExp(`^  sesQueueTopicArns\\.1: ${TOPIC} is also in allowedSnsTopicArns; .*not both`, 'm'),
      );
      expect(message).not.toContain(QUEUE_TOPIC);
    });

    it('accepts different topics in the two settings', () => {
      const config = parseAppConfig({ sesQueueTopicArns: QUEUE_TOPIC, allowedSnsTopicArns: TOPIC });
      expect(config.sesQueueTopicArns).toEqual([QUEUE_TOPIC]);
      expect(config.allowedSnsTopicArns).toEqual([TOPIC]);
    });

    it('refuses a topic listed twice', () => {
      expect(messageOf({ sesQueueTopicArns: [QUEUE_TOPIC, QUEUE_TOPIC] })).toMatch(
        /^ {2}sesQueueTopicArns\.1: .* is listed twice$/m,
      );
    });
  });
});
