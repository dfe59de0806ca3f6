/** The two secrets the admin fills after the first deploy: webhook signing secrets and CRM credentials. */
import { SecretValue, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * `{}` is a valid, empty document: no webhook source is installed yet (their routes answer 404), and
 * the CRM reader reports "no credentials" instead of calling out with a dummy token. CloudFormation
 * writes it only on creation, so what the admin puts in later survives every deploy.
 */
const PLACEHOLDER = SecretValue.unsafePlainText('{}');

export class Secrets extends Construct {
  readonly webhooks: secretsmanager.Secret;
  readonly crm: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.webhooks = new secretsmanager.Secret(this, 'Webhooks', {
      description:
        'leadscore: one section per webhook source (signing keys, URL tokens, Salesforce org ids, SES topic ARNs); see docs/deploy.md',
      secretStringValue: PLACEHOLDER,
    });
    this.crm = new secretsmanager.Secret(this, 'Crm', {
      description:
        'leadscore: HubSpot access token or Salesforce connected-app credentials; see docs/deploy.md',
      secretStringValue: PLACEHOLDER,
    });
    for (const secret of [this.webhooks, this.crm]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The values are issued by third parties (HubSpot/Salesforce apps, email providers): they are rotated in those consoles and pasted here, so a rotation Lambda has nothing to rotate',
      });
    }
  }
}
