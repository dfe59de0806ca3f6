/** Builds the leadscore stack for assertions, without bundling (the template is the same minus the asset hash). */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { parseAppConfig } from '../../infra/app-config';
import type { LeadscoreFunction } from '../../infra/leadscore-function';
import { LeadscoreStack } from '../../infra/leadscore-stack';

export interface SynthResult {
  readonly stack: LeadscoreStack;
  readonly template: Template;
}

export function synthStack(context: Record<string, unknown> = {}): SynthResult {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    // CDK's own CloudFormation schema check takes ~10 s per synth here; `cdk synth` still runs it.
    builtinCloudFormationValidation: false,
  });
  const stack = new LeadscoreStack(app, 'Test', { config: parseAppConfig(context) });
  return { stack, template: Template.fromStack(stack) };
}

/** `template.hasResourceProperties`, named so that lint sees the assertion in it. */
export function expectResource(template: Template, type: string, props: unknown): void {
  template.hasResourceProperties(type, props);
}

/** The logical id CloudFormation knows a construct's resource by. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnRole;
  return Stack.of(construct).getLogicalId(resource);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Every IAM statement attached to a function's role (inline policies created by grants). */
export function statementsOf(template: Template, fn: LeadscoreFunction): Statement[] {
  const roleId = logicalIdOf(fn.role);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}
