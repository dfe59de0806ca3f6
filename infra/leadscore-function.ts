/** The one place that holds every leadscore Lambda's defaults, and the grants that also set the env var. */
import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DUE_INDEX } from '../lib/adapters/dynamodb-lead-store';
import { BUNDLE_ALIASES } from './bundling/aliases';

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Env vars set by a grant (the value is a resource's name, URL or ARN). */
export type QueueUrlEnv = 'EVENTS_QUEUE_URL' | 'WRITEBACK_QUEUE_URL' | 'EVENTS_DLQ_URL' | 'WRITEBACK_DLQ_URL';
export type SecretIdEnv = 'WEBHOOK_SECRETS_ID' | 'CRM_SECRET_ID';

/** Env vars that carry settings rather than resources (see /lib/config for what reads them). */
export interface FunctionSettings {
  readonly CRM?: 'hubspot' | 'salesforce';
  readonly SCORE_FIELDS?: string;
  readonly RULESET_NAME?: string;
  readonly PUBLIC_BASE_URL?: string;
  readonly ASSIGN_ON_QUALIFICATION_CHANGE?: 'true' | 'false';
}

/**
 * What a function may do with the leads table. No level allows Scan, BatchWriteItem or
 * table-wide changes; TransactWriteItems is authorized per item (Put/Delete).
 */
const LEADS_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  // write-back only marks a lead whose CRM write failed.
  readAndMark: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  // The worker and the sweep write whole items (conditional Put) and identity entries (Put/Delete).
  readWrite: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
} as const;
export type LeadsTableAccess = keyof typeof LEADS_ACTIONS;

export interface LeadscoreFunctionProps {
  /** The file under functions/, without extension (the pipeline spec's `entry`). */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  /** Async invocations only (the schedule): how often Lambda retries a failed run. */
  readonly retryAttempts?: number;
  readonly settings?: FunctionSettings;
  readonly logRetention?: logs.RetentionDays;
}

export class LeadscoreFunction extends Construct {
  /** The entry name (`score-events`), also its Powertools service name. */
  readonly entry: string;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LeadscoreFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs go to this function's log group only.
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'functions', `${props.entry}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      retryAttempts: props.retryAttempts,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        ...props.settings,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.entry,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        // File and line numbers in stack traces without shipping our sources a second time.
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.CJS,
        // The Node 22 runtime ships AWS SDK v3; bundling it would only add cold-start weight.
        externalModules: ['@aws-sdk/*'],
        esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([from, to]) => `${from}=${to}`) },
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions (tracing is on for every function)',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime the project pins (see the toolchain notes): the code targets ES2022 and is tested on Node 20/22; moving to a newer runtime is a deliberate, tested upgrade, not a lint fix',
    });
  }

  /** LEADS_TABLE plus the least DynamoDB actions for `access`; `queryDueIndex` for the sweep. */
  useLeadsTable(
    table: dynamodb.ITable,
    access: LeadsTableAccess,
    options: { readonly queryDueIndex?: boolean } = {},
  ): this {
    this.function.addEnvironment('LEADS_TABLE', table.tableName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...LEADS_ACTIONS[access]], resources: [table.tableArn] }),
    );
    if (options.queryDueIndex) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${DUE_INDEX}`],
        }),
      );
    }
    return this;
  }

  /** CONFIG_TABLE, read-only: the worker only ever gets the active rule set and its version. */
  readConfigTable(table: dynamodb.ITable): this {
    this.function.addEnvironment('CONFIG_TABLE', table.tableName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }),
    );
    return this;
  }

  /** The queue's URL in `env` and permission to send to it (SendMessage also covers SendMessageBatch). */
  sendTo(queue: sqs.IQueue, env: QueueUrlEnv): this {
    this.function.addEnvironment(env, queue.queueUrl);
    queue.grantSendMessages(this.role);
    return this;
  }

  /**
   * The queue's URL in `env` and no permission at all: for a variable the shared configuration
   * requires but this function never sends to (the sweep never dead-letters anything).
   */
  knowQueueUrl(queue: sqs.IQueue, env: QueueUrlEnv): this {
    this.function.addEnvironment(env, queue.queueUrl);
    return this;
  }

  /** The secret's ARN in `env` and permission to read its value. */
  readSecret(secret: secretsmanager.ISecret, env: SecretIdEnv): this {
    this.function.addEnvironment(env, secret.secretArn);
    secret.grantRead(this.role);
    return this;
  }
}
