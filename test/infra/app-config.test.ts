import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppConfigError, parseAppConfig } from '../../infra/app-config';
import { DECAY_SWEEP } from '../../lib/pipeline-spec';

const ORG_A = '00D000000000001AAA';
const ORG_B = '00D5e000000XyZ1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';

describe('parseAppConfig', () => {
  it('defaults every setting, the sweep schedule from the pipeline spec', () => {
    expect(parseAppConfig({})).toEqual({
      stackName: 'Leadscore',
      crm: 'hubspot',
      scoreFields: {},
      salesforceOrgIds: [],
      allowedSnsTopicArns: [],
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
});
