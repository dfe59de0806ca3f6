/** cdk-nag's AWS Solutions pack as a CDK policy-validation plugin: the app and the tests register it alike. */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addChecks(scope: IConstruct): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(scope, { verbose: true });
  Validations.of(scope).addPlugins(checks);
  return checks;
}
