/** The CDK app (cdk.json runs it): settings from context, one stack, cdk-nag over all of it. */
import { App } from 'aws-cdk-lib';
import { AppConfigError, parseAppConfig } from './app-config';
import { addChecks } from './checks';
import { LeadscoreStack } from './leadscore-stack';

const app = new App();
try {
  const config = parseAppConfig(app.node.getAllContext());
  new LeadscoreStack(app, config.stackName, {
    description: 'leadscore: webhook-driven lead scoring for HubSpot and Salesforce',
    // Unset without credentials: the template stays environment-agnostic and synth never calls AWS.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    config,
  });
  addChecks(app);
} catch (error) {
  if (!(error instanceof AppConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
