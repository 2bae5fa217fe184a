import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { validationError } from './errors';
import { addNagSuppression } from './nag-suppressions';
import { IMAGE_BUILDER_SERVICE } from './role-trust';

/**
 * The managed policy the user guide documents for the role Image Builder runs lifecycle actions and
 * image deletion as (image-lifecycle-prerequisites).
 */
export const LIFECYCLE_EXECUTION_POLICY = 'service-role/EC2ImageBuilderLifecycleExecutionPolicy';

/**
 * The managed policy AWS documents for the role Image Builder runs workflows as
 * (arn:aws:iam::aws:policy/EC2ImageBuilderExecutionPolicy, AWS managed policy reference).
 */
const WORKFLOW_EXECUTION_POLICY = 'EC2ImageBuilderExecutionPolicy';
const WORKFLOW_EXECUTION_REASON = 'the AWS-managed policy Image Builder documents for workflow execution roles, maintained by AWS as the service changes';

/** A role Image Builder assumes for one job. */
export interface ServiceRoleOptions {
  /** The AWS-managed policy the service documents for the job. */
  readonly managedPolicy: string;
  /** Why cdk-nag's AwsSolutions-IAM4 finding on that policy is suppressed. */
  readonly suppressionReason: string;
  readonly description?: string;
}

/**
 * A role Image Builder assumes, with the AWS-managed policy the service documents for the job and
 * the cdk-nag suppression of that policy, with its reason.
 */
export function imageBuilderServiceRole(scope: Construct, id: string, options: ServiceRoleOptions): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal(IMAGE_BUILDER_SERVICE),
    description: options.description,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(options.managedPolicy)],
  });
  suppressServicePolicyFinding(role, options.managedPolicy, options.suppressionReason);
  return role;
}

/** The role Image Builder runs workflows as, and writes custom log groups with. */
export function workflowExecutionRole(scope: Construct, id: string): iam.Role {
  return imageBuilderServiceRole(scope, id, { managedPolicy: WORKFLOW_EXECUTION_POLICY, suppressionReason: WORKFLOW_EXECUTION_REASON });
}

/**
 * Attaches the workflow execution policy to the role behind `grantee`, as to the execution roles
 * this library creates. Only a role made in this app can take it: an imported or immutable role
 * ignores `addManagedPolicy`, which would leave the first build to fail, so that fails here.
 */
export function grantWorkflowExecution(scope: IConstruct, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal;
  if (!iam.Role.isRole(principal)) {
    throw validationError(`grantDefaultExecutionRolePermissions attaches the AWS-managed policy ${WORKFLOW_EXECUTION_POLICY}, ` +
      `which only a role created in this app (iam.Role) can take, got ${describePrincipal(principal)}; ` +
      'attach the policy where the role is defined', scope);
  }
  principal.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(WORKFLOW_EXECUTION_POLICY));
  suppressServicePolicyFinding(principal, WORKFLOW_EXECUTION_POLICY, WORKFLOW_EXECUTION_REASON);
}

function describePrincipal(principal: iam.IPrincipal): string {
  const path = (principal as Partial<IConstruct>).node?.path;
  return path ? `'${path}', which is not (imported and immutable roles take no policies)` : `${principal}`;
}

/** cdk-nag's finding on an AWS-managed policy of a service role, suppressed with the reason the service needs it. */
function suppressServicePolicyFinding(role: iam.Role, managedPolicy: string, reason: string): void {
  addNagSuppression(role.node.defaultChild as iam.CfnRole, 'AwsSolutions-IAM4', reason,
    [`Policy::arn:<AWS::Partition>:iam::aws:policy/${managedPolicy}`]);
}

/**
 * The role Image Builder deletes images as, with their AMIs, snapshots and containers: an image's
 * deletion settings and the deletion of a pipeline's images both hand it to the service.
 */
export function imageDeletionRole(scope: Construct, id: string, description?: string): iam.Role {
  return imageBuilderServiceRole(scope, id, {
    managedPolicy: LIFECYCLE_EXECUTION_POLICY,
    description,
    suppressionReason: 'the AWS-managed policy Image Builder documents for removing images with their AMIs, snapshots and containers',
  });
}
