import { AwsSolutionsChecks } from 'cdk-nag';
import { DUE_INDEX } from '../../lib/adapters/dynamodb-lead-store';
import { CONFIG_TABLE, LEADS_TABLE } from '../../lib/adapters/table-specs';
import type { LeadscoreFunction } from '../../infra/leadscore-function';
import {
  actionsOf,
  expectResource,
  logicalIdOf,
  statementsOf,
  synthStack,
  type Statement,
} from './synth-stack';

const { stack, template } = synthStack();
const { ingest, scoreEvents, writeBack, decaySweep } = stack.functions;
const leadsId = logicalIdOf(stack.tables.leads);
const configId = logicalIdOf(stack.tables.config);
const crmSecretRef = { Ref: logicalIdOf(stack.secrets.crm) };
const webhookSecretRef = { Ref: logicalIdOf(stack.secrets.webhooks) };

const statements = (fn: LeadscoreFunction) => statementsOf(template, fn);
const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
/** The actions a function may take on a resource (matched by its CloudFormation reference). */
const actionsOn = (fn: LeadscoreFunction, resource: unknown): string[] =>
  statements(fn)
    .filter((statement) => resourcesOf(statement).some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap(actionsOf)
    .sort();
const tableArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const readsSecret = (fn: LeadscoreFunction, secretRef: unknown) =>
  actionsOn(fn, secretRef).includes('secretsmanager:GetSecretValue');

describe('IAM least privilege', () => {
  it('every statement allows, and names its resources except X-Ray (no resource-level permissions)', () => {
    const all = stack.functions.all.flatMap(statements);
    const wildcard = all.filter((statement) => resourcesOf(statement).includes('*'));

    expect(all.map((statement) => statement.Effect)).toEqual(all.map(() => 'Allow'));
    expect(wildcard.flatMap(actionsOf).filter((action) => !action.startsWith('xray:'))).toEqual([]);
  });

  it('ingest has no DynamoDB action at all and cannot read the CRM secret', () => {
    const actions = statements(ingest).flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    expect(readsSecret(ingest, crmSecretRef)).toBe(false);
  });

  it('ingest can send to the events queue and read the webhook secret, nothing else of ours', () => {
    expect(actionsOn(ingest, { 'Fn::GetAtt': [logicalIdOf(stack.queues.events.queue), 'Arn'] })).toContain(
      'sqs:SendMessage',
    );
    expect(readsSecret(ingest, webhookSecretRef)).toBe(true);
    const sqsTargets = statements(ingest)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')))
      .flatMap(resourcesOf);
    expect(sqsTargets).toEqual([{ 'Fn::GetAtt': [logicalIdOf(stack.queues.events.queue), 'Arn'] }]);
  });

  it('only the functions that call the CRM read its secret; nobody else reads any secret', () => {
    const crmReaders = stack.functions.all
      .filter((fn) => readsSecret(fn, crmSecretRef))
      .map((fn) => fn.entry);
    const webhookReaders = stack.functions.all
      .filter((fn) => readsSecret(fn, webhookSecretRef))
      .map((fn) => fn.entry);

    expect(crmReaders.sort()).toEqual(['decay-sweep', 'score-events', 'write-back']);
    expect(webhookReaders).toEqual(['ingest']);
    expect(readsSecret(ingest, crmSecretRef)).toBe(false);
  });

  it('gives each function exactly the DynamoDB actions its store calls need', () => {
    const read = ['dynamodb:BatchGetItem', 'dynamodb:GetItem'];
    const write = [...read, 'dynamodb:DeleteItem', 'dynamodb:PutItem'].sort();

    expect(actionsOn(scoreEvents, tableArn(leadsId))).toEqual(write);
    expect(actionsOn(decaySweep, tableArn(leadsId))).toEqual(write);
    expect(actionsOn(writeBack, tableArn(leadsId))).toEqual([...read, 'dynamodb:UpdateItem'].sort());
    for (const fn of [scoreEvents, decaySweep]) {
      expect(actionsOn(fn, tableArn(configId))).toEqual(['dynamodb:GetItem']);
    }
    expect(actionsOn(writeBack, tableArn(configId))).toEqual([]);
  });

  it('lets only the sweep query, and only the due index', () => {
    const queries = stack.functions.all.flatMap((fn) =>
      statements(fn)
        .filter((statement) => actionsOf(statement).includes('dynamodb:Query'))
        .map((statement) => ({ fn: fn.entry, resources: resourcesOf(statement) })),
    );
    expect(queries).toEqual([
      {
        fn: 'decay-sweep',
        resources: [{ 'Fn::Join': ['', [tableArn(leadsId), `/index/${DUE_INDEX}`]] }],
      },
    ]);
  });

  it('lets nobody Scan, BatchWriteItem or use wildcard DynamoDB actions', () => {
    const actions = stack.functions.all.flatMap((fn) => statements(fn).flatMap(actionsOf));
    expect(actions.filter((action) => /dynamodb:(Scan|BatchWriteItem|\*)/.test(action))).toEqual([]);
  });

  it('lets the worker, not the sweep, park messages in the events DLQ; write-back its own DLQ', () => {
    const eventsDlq = { 'Fn::GetAtt': [logicalIdOf(stack.queues.events.dlq), 'Arn'] };
    const writeBackDlq = { 'Fn::GetAtt': [logicalIdOf(stack.queues.writeBack.dlq), 'Arn'] };
    expect(actionsOn(scoreEvents, eventsDlq)).toContain('sqs:SendMessage');
    expect(actionsOn(decaySweep, eventsDlq)).toEqual([]);
    expect(actionsOn(writeBack, writeBackDlq)).toContain('sqs:SendMessage');
  });

  it('lets write-back put writes the CRM cannot take yet back on its own queue, and no other', () => {
    const writeBackQueue = { 'Fn::GetAtt': [logicalIdOf(stack.queues.writeBack.queue), 'Arn'] };
    const eventsQueue = { 'Fn::GetAtt': [logicalIdOf(stack.queues.events.queue), 'Arn'] };
    expect(actionsOn(writeBack, writeBackQueue)).toContain('sqs:SendMessage');
    expect(actionsOn(writeBack, eventsQueue)).not.toContain('sqs:SendMessage');
    const env = template.toJSON().Resources[logicalIdOf(writeBack.function)].Properties.Environment.Variables;
    expect(Object.keys(env)).toContain('WRITEBACK_QUEUE_URL');
  });

  it('uses no managed policies: each role writes to its own log group only', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const fn of stack.functions.all) {
      expect(actionsOn(fn, { 'Fn::GetAtt': [logicalIdOf(fn.logGroup), 'Arn'] })).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
    }
  });
});

describe('data at rest', () => {
  it.each([
    ['leads', LEADS_TABLE],
    ['config', CONFIG_TABLE],
  ] as const)(
    '%s table: PITR, encryption, deletion protection, retained, keys from the spec',
    (_name, spec) => {
      const id = spec === LEADS_TABLE ? leadsId : configId;
      const table = template.toJSON().Resources[id];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : []),
        ],
      });
    },
  );

  it('leads table: TTL on the spec’s attribute and the due index (keys only)', () => {
    expectResource(template, 'AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: LEADS_TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: DUE_INDEX,
          KeySchema: [
            { AttributeName: LEADS_TABLE.indexes[0]?.partitionKey, KeyType: 'HASH' },
            { AttributeName: LEADS_TABLE.indexes[0]?.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('encrypts every queue and denies non-TLS access to it', () => {
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });
});

describe('function defaults', () => {
  it('runs every function on nodejs22.x, arm64, with active tracing and its own log group', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns)).toHaveLength(4);
    for (const fn of stack.functions.all) {
      expect(fns[logicalIdOf(fn.function)]?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      });
    }
  });

  it('keeps logs for a bounded time', () => {
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('sets the env each function’s configuration requires (names from the contracts)', () => {
    const env = (fn: LeadscoreFunction) =>
      Object.keys(template.toJSON().Resources[logicalIdOf(fn.function)].Properties.Environment.Variables);
    expect(env(ingest)).toEqual(expect.arrayContaining(['EVENTS_QUEUE_URL', 'WEBHOOK_SECRETS_ID']));
    const worker = ['LEADS_TABLE', 'CONFIG_TABLE', 'WRITEBACK_QUEUE_URL', 'EVENTS_DLQ_URL', 'CRM'];
    expect(env(scoreEvents)).toEqual(expect.arrayContaining([...worker, 'CRM_SECRET_ID']));
    expect(env(decaySweep)).toEqual(expect.arrayContaining([...worker, 'CRM_SECRET_ID']));
    expect(env(ingest)).not.toContain('CRM_SECRET_ID');
    // Local runs only: deployed, SNS certificates are only ever downloaded.
    expect(env(ingest)).not.toContain('LEADSCORE_LOCAL_SNS_CERTIFICATES');
    expect(env(writeBack)).toEqual(
      expect.arrayContaining(['LEADS_TABLE', 'CRM', 'CRM_SECRET_ID', 'WRITEBACK_DLQ_URL']),
    );
    expect(env(ingest)).not.toEqual(expect.arrayContaining(['LEADS_TABLE']));
  });

  it('creates both secrets with an empty JSON document for the admin to fill', () => {
    for (const secret of [stack.secrets.webhooks, stack.secrets.crm]) {
      expect(template.toJSON().Resources[logicalIdOf(secret)].Properties.SecretString).toBe('{}');
    }
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('finds nothing that is not acknowledged', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
  });

  it('acknowledges every rule with a specific reason', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [, reason] of acknowledged) expect(reason.length).toBeGreaterThan(60);
  });
});
