/** The leads and config tables, built from the same specs the local stack and the tests use. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CONFIG_TABLE, LEADS_TABLE, type TableSpec } from '../lib/adapters/table-specs';

export class Tables extends Construct {
  readonly leads: dynamodb.Table;
  readonly config: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.leads = tableFromSpec(this, 'Leads', LEADS_TABLE);
    this.config = tableFromSpec(this, 'Config', CONFIG_TABLE);
  }
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

function tableFromSpec(scope: Construct, id: string, spec: TableSpec): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: stringKey(spec.partitionKey),
    sortKey: spec.sortKey ? stringKey(spec.sortKey) : undefined,
    timeToLiveAttribute: spec.ttlAttribute,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    // The AWS-managed key (aws/dynamodb): encrypted at rest, with key use in CloudTrail and no key to run.
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    // Lead history and rule versions outlive the stack: deleting it must never delete them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of spec.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      // The sweep reads only keys from the index, then the items themselves (consistent reads).
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }
  return table;
}
