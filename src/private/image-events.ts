import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The EventBridge detail type of a workflow's `WaitForAction` step that waits. */
export const WORKFLOW_STEP_WAITING = 'EC2 Image Builder Workflow Step Waiting';

/** A rule for Image Builder events of `detailType` (any, when undefined) that also match `pattern`. */
export function imageBuilderRule(
  scope: Construct, id: string, options: events.OnEventOptions, detailType: string | undefined, pattern: events.EventPattern,
): events.Rule {
  const rule = new events.Rule(scope, id, {
    description: options.description,
    ruleName: options.ruleName,
    crossStackScope: options.crossStackScope,
  });
  rule.addEventPattern({ source: ['aws.imagebuilder'], detailType: detailType ? [detailType] : undefined, ...pattern });
  rule.addEventPattern(options.eventPattern);
  if (options.target) {
    rule.addTarget(options.target);
  }
  return rule;
}

/**
 * The start of the ARNs of the images a recipe builds, which are named after it:
 * `.../image-recipe/<name>/<version>` gives `.../image/<name>/`, or `.../image/<name>/<version>/`
 * when `version` is given and exact (an image's version is its recipe's; a wildcard version says
 * nothing of which one is built).
 */
export function imageArnPrefixOfRecipe(scope: Construct, recipeArn: string, version?: string): string {
  const name = Fn.select(1, Fn.split('/', recipeArn));
  const exactVersion = version !== undefined && (Token.isUnresolved(version) || !version.includes('x'));
  return Stack.of(scope).formatArn({
    service: 'imagebuilder',
    resource: 'image',
    resourceName: exactVersion ? `${name}/${version}/` : `${name}/`,
  });
}

/**
 * Grants `imagebuilder:SendWorkflowStepAction` on the images whose ARNs start with `imageArnPrefix`
 * and on workflow step executions: IAM requires both resource types for the action.
 */
export function grantSendWorkflowStepAction(scope: Construct, grantee: iam.IGrantable, imageArnPrefix: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['imagebuilder:SendWorkflowStepAction'],
    resourceArns: [
      `${imageArnPrefix}*`,
      Stack.of(scope).formatArn({ service: 'imagebuilder', resource: 'workflow-step-execution', resourceName: '*' }),
    ],
  });
}
