import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { addNagSuppression } from './nag-suppressions';

/**
 * The managed policy the user guide documents for the role Image Builder runs lifecycle actions and
 * image deletion as (image-lifecycle-prerequisites).
 */
export const LIFECYCLE_EXECUTION_POLICY = 'service-role/EC2ImageBuilderLifecycleExecutionPolicy';

/**
 * The managed policy AWS documents for the role Image Builder runs workflows as
 * (arn:aws:iam::aws:policy/EC2ImageBuilderExecutionPolicy, AWS managed policy reference).
 */
export const WORKFLOW_EXECUTION_POLICY = 'EC2ImageBuilderExecutionPolicy';

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
    assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com'),
    description: options.description,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(options.managedPolicy)],
  });
  addNagSuppression(role.node.defaultChild as iam.CfnRole, 'AwsSolutions-IAM4', options.suppressionReason,
    [`Policy::arn:<AWS::Partition>:iam::aws:policy/${options.managedPolicy}`]);
  return role;
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
